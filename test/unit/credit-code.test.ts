import { describe, expect, it } from "vitest";
import { creditCodeCheckCharacter, creditCodeProblem } from "~/shared/credit-code";
import { DEMO_ORGANISATIONS } from "~/demo/demo-organisations";

describe("统一社会信用代码 validation", () => {
  it("accepts a published code of a real enterprise", () => {
    // 91350100M000100Y43 is the standard's worked example.
    expect(creditCodeProblem("91350100M000100Y43")).toBeNull();
  });

  it("accepts lower case input and surrounding spaces", () => {
    expect(creditCodeProblem(" 91350100m000100y43 ")).toBeNull();
  });

  it("rejects a wrong check character, saying so", () => {
    expect(creditCodeProblem("91350100M000100Y44")).toBe("统一社会信用代码校验位错误，请核对后重新输入");
  });

  it("rejects a wrong length with the length it got", () => {
    expect(creditCodeProblem("91350100M000100Y4")).toBe("统一社会信用代码应为18位，当前为17位");
  });

  it("rejects the letters the standard leaves out", () => {
    expect(creditCodeProblem("91350100M0001O0Y43")).toContain("“O”");
  });

  it("rejects a division code that is not digits", () => {
    const first17 = "9135A100M000100Y4";
    expect(creditCodeProblem(first17 + creditCodeCheckCharacter(first17))).toContain("行政区划代码");
  });

  it("computes a check character that makes any stem valid", () => {
    for (const o of DEMO_ORGANISATIONS) {
      const first17 = `91530100${o.stem}`;
      expect(creditCodeProblem(first17 + creditCodeCheckCharacter(first17)), o.name).toBeNull();
    }
  });
});
