import { describe, expect, it } from "vitest";
import { buildCondition, parseCondition, partyRule, timerPreview } from "~/shared/process-modeling";
import { conditionProblem } from "~/shared/safe-expressions";

describe("a condition built in the modeler", () => {
  it("is the safe expression form, and reads back into its parts", () => {
    const text = buildCondition({ taskId: "review", field: "decision", operator: "eq", value: "approve" });
    expect(text).toBe('${environment.services.eq(environment.output.review.decision,"approve")}');
    expect(conditionProblem(text)).toBeNull();
    expect(parseCondition(text)).toEqual({ taskId: "review", field: "decision", operator: "eq", value: "approve" });
    const number = buildCondition({ taskId: "recordAcceptance", field: "coveredEstimate", operator: "lt", value: "3000" });
    expect(number).toBe("${environment.services.lt(environment.output.recordAcceptance.coveredEstimate,3000)}");
    expect(buildCondition({ taskId: "t", field: "agreed", operator: "isTrue", value: "" })).toBe(
      "${environment.services.isTrue(environment.output.t.agreed)}",
    );
  });

  it("never lets a typed value out of its quotes", () => {
    const text = buildCondition({ taskId: "t", field: "f", operator: "eq", value: 'x"),exec("rm' });
    expect(conditionProblem(text)).toBeNull();
    expect(parseCondition("${environment.services.exec(environment.output.t.f)}")).toBeNull();
  });
});

describe("the safe condition form", () => {
  it("names only the platform's own helpers and the flow's data, never an object's machinery", () => {
    for (const text of [
      '${environment.services.constructor("return process")}',
      "${environment.services.__proto__(1)}",
      '${environment.services.__defineGetter__("eq", environment.services.isTrue)}',
      '${environment.services.hasOwnProperty("eq")}',
      "${environment.constructor.constructor}",
      "${environment.output.review.__proto__}",
    ]) {
      expect(conditionProblem(text), text).toMatch(/不允许的名称|未知的判断函数/);
    }
    expect(conditionProblem("${environment.output.review.approved}")).toBeNull();
  });
});

describe("a timer's preview", () => {
  it("says the duration in Chinese", () => {
    expect(timerPreview("timeDuration", "P7D")).toBe("7天后");
    expect(timerPreview("timeDuration", "PT12H")).toBe("12小时后");
    expect(timerPreview("timeDuration", "P1Y2M")).toBe("1年2个月后");
    expect(timerPreview("timeDuration", "P1DT2H30M")).toBe("1天2小时30分钟后");
    expect(timerPreview("timeCycle", "R3/P1M")).toBe("每1个月，共3次");
    expect(timerPreview("timeDuration", "five days")).toBe("无法识别的时长");
    expect(timerPreview("timeDate", "${environment.variables.overdueAt}")).toBe("按流程数据“overdueAt”");
  });
});

it("names who does a task", () => {
  expect(partyRule(["insurer"])).toBe("本流程的保险公司（业务对象的参与方）");
  expect(partyRule(["regulator"])).toBe("任一住建局用户");
});
