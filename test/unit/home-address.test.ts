import { describe, expect, it } from "vitest";
import { matchesAddress, parseHomeAddress, splitCommunityAddress } from "~/shared/home-address";

// A home's address as callers say it and owners type it (the hotline's search, the home picker).

describe("reading a home's address", () => {
  it.each([
    ["1栋2单元1401", { building: "1", unitNo: "2", room: "1401" }],
    ["1号楼2单元1401室", { building: "1", unitNo: "2", room: "1401" }],
    ["1-2-1401", { building: "1", unitNo: "2", room: "1401" }],
    ["1 2 1401", { building: "1", unitNo: "2", room: "1401" }],
    ["１栋　１４０１", { building: "1", room: "1401" }],
    ["1栋 1401", { building: "1", room: "1401" }],
    ["1-1401", { building: "1", room: "1401" }],
    ["1栋 2 1401", { building: "1", unitNo: "2", room: "1401" }],
    ["2单元1401", { unitNo: "2", room: "1401" }],
    ["A座1201", { building: "A", room: "1201" }],
    ["1401", { room: "1401" }],
    ["3栋", { building: "3" }],
    ["二栋一单元501", { building: "2", unitNo: "1", room: "501" }],
    ["十二号楼两单元1401", { building: "12", unitNo: "2", room: "1401" }],
    ["二十一栋 501", { building: "21", room: "501" }],
  ])("%s", (text, address) => {
    expect(parseHomeAddress(text)).toEqual(address);
  });

  it("is not an address when a word is not, or there are more numbers than parts", () => {
    for (const text of ["宝象壹号", "1 2 3 1401", "1栋2栋1401", "", "1401室 2室"]) expect(parseHomeAddress(text), text).toBeNull();
  });

  it("once the building is chosen, a bare number before the room is the unit", () => {
    expect(parseHomeAddress("2-1401", ["unitNo"])).toEqual({ unitNo: "2", room: "1401" });
  });
});

describe("a community and the home in it", () => {
  it.each([
    ["宝象壹号 1栋 1401", "宝象壹号", { building: "1", room: "1401" }],
    ["宝象壹号 1栋1单元1001", "宝象壹号", { building: "1", unitNo: "1", room: "1001" }],
    ["宝象壹号1栋1单元1001", "宝象壹号", { building: "1", unitNo: "1", room: "1001" }],
    ["宝象壹号1栋 1401", "宝象壹号", { building: "1", room: "1401" }],
    ["滇池湾2期 3-1-1501", "滇池湾2期", { building: "3", unitNo: "1", room: "1501" }],
    ["阳光100 2 1401", "阳光100", { building: "2", room: "1401" }],
    ["一品天下二栋一单元501", "一品天下", { building: "2", unitNo: "1", room: "501" }],
  ])("%s", (text, community, address) => {
    expect(splitCommunityAddress(text)).toEqual({ community, address });
  });

  it("a name alone, or an address alone, is not one", () => {
    for (const text of ["宝象壹号", "1栋1单元1001", "KM-2023-0114"]) expect(splitCommunityAddress(text), text).toBeNull();
  });
});

describe("matching a home", () => {
  const home = { building: "1", unitNo: "2", room: "1401" };
  it("every part named must be the home's exactly: 401 is not 1401", () => {
    expect(matchesAddress(home, { building: "1", room: "1401" })).toBe(true);
    expect(matchesAddress(home, { room: "401" })).toBe(false);
    expect(matchesAddress(home, { building: "3", room: "1401" })).toBe(false);
    expect(matchesAddress({ building: "1栋", unitNo: "2单元", room: "1401室" }, { building: "1", unitNo: "2", room: "1401" })).toBe(true);
  });

  it("a room typed with a leading zero is the room: 0501 is 501", () => {
    expect(matchesAddress({ building: "2", unitNo: "1", room: "501" }, parseHomeAddress("2栋1单元0501")!)).toBe(true);
    expect(matchesAddress({ building: "2", unitNo: "1", room: "0501" }, parseHomeAddress("2栋1单元0501")!)).toBe(true);
    expect(matchesAddress({ building: "2", unitNo: "1", room: "1501" }, parseHomeAddress("2栋1单元0501")!)).toBe(false);
  });

  it("in a picker the room may be typed from its start, never from its middle", () => {
    expect(matchesAddress(home, { room: "14" }, { roomPrefix: true })).toBe(true);
    expect(matchesAddress(home, { room: "401" }, { roomPrefix: true })).toBe(false);
  });

  it("in a picker a room typed with a leading zero is the room too, unless the list writes that zero", () => {
    const building = [
      { building: "3", unitNo: "2", room: "501" },
      { building: "3", unitNo: "2", room: "502" },
    ];
    const typed = (room: string, listed = building) =>
      listed.filter((h) => matchesAddress(h, { room }, { roomPrefix: true, listed })).map((h) => h.room);
    expect(typed("0501")).toEqual(["501"]);
    expect(typed("050")).toEqual(["501", "502"]);
    const zeros = [...building, { building: "3", unitNo: "1", room: "0501" }];
    expect(typed("0501", zeros)).toEqual(["0501"]);
  });
});
