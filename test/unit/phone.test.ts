import { describe, expect, it } from "vitest";
import { contactPhone, isForeignNumber, normaliseCode, normalisePhone } from "~/shared/phone";

// Mainland mobile numbers, typed or from a phone's contact card: another country's number never
// passes as a mainland one (+1 390 871 0001 is not 139 0871 0001).

describe("a typed mainland mobile number", () => {
  it("takes the eleven digits however they are written, with or without +86, 86 or 0086", () => {
    for (const typed of [
      "13908710001",
      "139 0871 0001",
      "139-0871-0001",
      "(139)08710001",
      "+86 139 0871 0001",
      "8613908710001",
      "0086 13908710001",
      // Full-width, as a Chinese input method types it.
      "１３９０８７１０００１",
      "＋８６ １３９ ０８７１ ０００１",
      "１３９－０８７１－０００１",
    ])
      expect(normalisePhone(typed), typed).toBe("13908710001");
    expect(normalisePhone(13908710001)).toBe("13908710001");
  });

  it("takes every personal mobile segment", () => {
    for (const typed of ["13012345678", "14512345678", "14912345678", "15012345678", "15512345678", "16212345678", "16512345678"])
      expect(normalisePhone(typed), typed).toBe(typed);
    for (const typed of ["17012345678", "17812345678", "18012345678", "19012345678", "19312345678", "19512345678", "19912345678"])
      expect(normalisePhone(typed), typed).toBe(typed);
  });

  it("refuses a number with another country code, and anything that is not a mainland mobile", () => {
    for (const typed of [
      "+1 390 871 0001",
      "+13908710001",
      "001 390 871 0001",
      "+1 415 555 0100",
      "+852 139 0871 0001",
      "12345",
      "23908710001",
      "+86 0871 6543210",
      // A US number typed without "+", and other segments no person's mobile has.
      "1415 555 0100",
      "14155550100",
      "14012345678",
      "15412345678",
      "16012345678",
      "17912345678",
      "19412345678",
      "+86 141 5555 0100",
    ])
      expect(normalisePhone(typed), typed).toBeNull();
  });
});

describe("a contact card's number (always with its country code)", () => {
  it("is a mainland mobile only with country code 86, with or without +", () => {
    expect(contactPhone("+8613908710001")).toBe("13908710001");
    expect(contactPhone("8613908710001")).toBe("13908710001");
    expect(contactPhone("+86 139 0871 0001")).toBe("13908710001");
  });

  it("refuses another country's number, also when it looks like eleven mainland digits", () => {
    for (const card of ["+1 390 871 0001", "13908710001", "14155550100", "+14155550100", "85213908710001", "86123"])
      expect(contactPhone(card), card).toBeNull();
  });
});

describe("a number written as North America groups it (1-390-871-0001)", () => {
  it("is another country's number, not 139 0871 0001, and said to be one", () => {
    for (const typed of ["1-390-871-0001", "1 390 871 0001", "1 (390) 871-0001", "1.390.871.0001", "１-３９０-８７１-０００１"]) {
      expect(normalisePhone(typed), typed).toBeNull();
      expect(isForeignNumber(typed), typed).toBe(true);
    }
    for (const typed of ["139 0871 0001", "13908710001", "139-0871-0001"]) expect(isForeignNumber(typed), typed).toBe(false);
  });
});

describe("an SMS code as typed", () => {
  it("is its six digits, in two groups or full-width alike; anything else is none", () => {
    for (const typed of ["123456", "123 456", "123-456", " 123456 ", "１２３４５６", "１２３ ４５６"]) expect(normaliseCode(typed), typed).toBe("123456");
    for (const typed of ["12345", "1234567", "12a456", "", null]) expect(normaliseCode(typed), String(typed)).toBeNull();
  });
});
