import { Environment } from "bpmn-elements";
import { describe, expect, it } from "vitest";
import { buildCondition, parseCondition, partyRule, timerPreview } from "~/shared/process-modeling";
import { CONDITION_HELPERS, conditionProblem } from "~/shared/safe-expressions";

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

  it("takes quoted text with commas and other punctuation, as the runtime reads it", () => {
    for (const text of ["a,b", "同意，退回", "a, b", "it's", "a.b [c] (d", "50%; x=1 & y<2"]) {
      const quote = text.includes("'") ? '"' : "'";
      // The engine's own environment, as a gateway's flow reads its condition.
      const runtime = new Environment({ services: CONDITION_HELPERS });
      runtime.output.review = { decision: text };
      for (const condition of [
        `\${environment.services.eq(environment.output.review.decision, ${quote}${text}${quote})}`,
        `\${environment.services.eq(${quote}${text}${quote},environment.output.review.decision)}`,
      ]) {
        expect(conditionProblem(condition), condition).toBeNull();
        expect(runtime.resolveExpression(condition), condition).toBe(true);
      }
    }
    expect(parseCondition('${environment.services.eq(environment.output.review.decision,"a,b")}')).toMatchObject({ value: "a,b" });
  });

  it("still refuses what is not one quoted text, a number or a path, and text the runtime would cut short", () => {
    for (const [text, bad] of [
      ['${environment.services.eq(environment.output.t.f, "a,b)}', '"a,b'],
      ['${environment.services.eq(environment.output.t.f, "a,"+x)}', '"a,"+x'],
      ['${environment.services.eq(environment.output.t.f, "a" "b")}', '"a" "b"'],
      ['${environment.services.eq(environment.output.t.f, "a)b")}', '"a)b"'],
      ["${environment.services.eq(environment.output.t.f, 'a,b\")}", null],
      ["${environment.services.eq(environment.output.t.f, )}", ""],
      ["${environment.services.eq(environment.output.t.f, a b)}", "a b"],
    ] as const) {
      const problem = conditionProblem(text);
      expect(problem, text).not.toBeNull();
      if (bad !== null) expect(problem, text).toContain(`条件参数“${bad}”不是允许的值`);
    }
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
