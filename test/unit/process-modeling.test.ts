import { Environment } from "bpmn-elements";
import { describe, expect, it } from "vitest";
import {
  buildCondition,
  conditionFieldOptions,
  conditionValueInputProblem,
  lintIssueText,
  operatorsFor,
  parseCondition,
  partyRule,
  timerPreview,
  withConditionField,
  withPlatformZone,
  type ConditionField,
} from "~/shared/process-modeling";
import { timerSettingProblem, timerValueProblem, type TimerKind } from "~/shared/process-checks";
import { CONDITION_HELPERS, conditionProblem, conditionValueProblem } from "~/shared/safe-expressions";

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

describe("a condition's value", () => {
  const amount: ConditionField = { name: "amount", title: "金额", type: "number" };

  it("cleared in the panel is an empty value the check names, not a crash", () => {
    const cleared = { taskId: "t", field: "f", operator: "eq", value: undefined as unknown as string };
    const text = buildCondition(cleared);
    expect(text).toBe('${environment.services.eq(environment.output.t.f,"")}');
    expect(conditionProblem(text)).toBeNull();
    expect(conditionValueProblem(text)).toBe("条件缺少比较值");
    expect(conditionValueProblem(buildCondition({ ...cleared, operator: "includes" }))).toBe("条件缺少比较值");
    expect(conditionValueProblem(buildCondition({ ...cleared, operator: "isEmpty" }))).toBeNull();
  });

  it("of a 大于/小于 must be a number: the panel refuses a text, and the check names one written", () => {
    expect(conditionValueInputProblem("gt", amount, "3000元")).toBe("比较值应为数字，如 3000");
    expect(conditionValueInputProblem("eq", amount, "abc")).toBe("比较值应为数字，如 3000");
    expect(conditionValueInputProblem("gt", amount, "3000")).toBeNull();
    expect(conditionValueInputProblem("eq", { name: "n", title: "备注", type: "string" }, "abc")).toBeNull();
    const written = buildCondition({ taskId: "t", field: "amount", operator: "gt", value: "3000元" });
    expect(conditionValueProblem(written)).toBe("比较值应为数字");
    expect(conditionValueProblem('${environment.services.lt(environment.output.t.amount,"3000")}')).toBeNull();
    expect(conditionValueProblem("${environment.services.lt(environment.output.t.amount,environment.variables.limit)}")).toBeNull();
    expect(conditionValueProblem('${environment.services.eq(environment.output.t.decision,"approve")}')).toBeNull();
  });
});

describe("the condition builder's fields", () => {
  const contacted: ConditionField = { name: "contactedOn", title: "联系业主日期", type: "date" };
  const decision: ConditionField = {
    name: "decision",
    title: "立案决定",
    type: "string",
    options: [
      { value: "accept", label: "立案" },
      { value: "decline", label: "不予立案" },
    ],
  };

  it("shows a condition that reads a service's result, as the field it reads", () => {
    const current = parseCondition("${environment.services.lt(environment.output.recordAcceptance.coveredEstimate,3000)}");
    const options = conditionFieldOptions(
      [
        { id: "recordAcceptance", name: "登记受理", kind: "service", fields: [] },
        { id: "accept", name: "受理报案", kind: "user", fields: [contacted] },
      ],
      current,
    );
    expect(options.map((o) => o.label)).toEqual(["受理报案 · 联系业主日期", "登记受理 · coveredEstimate（服务结果）"]);
    expect(options.some((o) => o.value === "recordAcceptance.coveredEstimate")).toBe(true);
    // Its type is not declared: every comparison stays offered, the one it uses among them.
    expect(operatorsFor(options[1].field).map((o) => o.value)).toContain("lt");
  });

  it("resets the value and the comparison when another field is chosen", () => {
    const before = { taskId: "assess", field: "amount", operator: "lt", value: "3000" };
    const after = withConditionField(before, "accept", contacted);
    expect(after).toEqual({ taskId: "accept", field: "contactedOn", operator: "eq", value: "" });
    // Typing a date now gives the date, not "30002026-01-01".
    expect(buildCondition({ ...after, value: "2026-01-01" })).toBe(
      '${environment.services.eq(environment.output.accept.contactedOn,"2026-01-01")}',
    );
    expect(withConditionField(before, "decide", decision).operator).toBe("eq");
    expect(withConditionField(before, "t", { name: "agreed", title: "同意", type: "boolean" }).operator).toBe("isTrue");
    // The same field again changes nothing.
    expect(withConditionField(before, "assess", { name: "amount", title: "金额", type: "number" })).toBe(before);
  });

  it("offers only the comparisons that fit the field's type", () => {
    expect(operatorsFor(decision).map((o) => o.label)).toEqual(["等于", "不等于", "为空"]);
    // The runtime's 大于/小于 hold only between numbers: a date is compared for equality only.
    expect(operatorsFor(contacted).map((o) => o.value)).not.toContain("gte");
    expect(operatorsFor({ name: "n", title: "金额", type: "number" }).map((o) => o.value)).toContain("gte");
    expect(operatorsFor({ name: "n", title: "备注", type: "string" }).map((o) => o.value)).not.toContain("gt");
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

  it("refuses what a function carries, a call with too few arguments, text around it, and a very long one", () => {
    for (const word of ["caller", "callee", "arguments", "call", "apply", "bind"])
      expect(conditionProblem(`\${environment.output.review.${word}}`), word).toBe(
        `条件“\${environment.output.review.${word}}”引用了不允许的名称“${word}”`,
      );
    expect(conditionProblem("${environment.services.eq()}")).toBe("判断函数“eq”需要2个参数，条件中有0个");
    expect(conditionProblem("${environment.services.isTrue(environment.output.a.b, 1)}")).toBe("判断函数“isTrue”需要1个参数，条件中有2个");
    expect(conditionProblem("  ${environment.output.review.approved}\n  ")).toBe("条件表达式前后不能有其他字符（包括空格和换行）");
    expect(conditionProblem(`\${environment.output.${"a".repeat(2000)}}`)).toBe("条件表达式过长，不能超过2000个字符");
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

  it("reads a date, a repetition and its start", () => {
    const cases: [TimerKind, string, string][] = [
      ["timeDate", "2027-01-01T09:00:00+08:00", "于 2027年1月1日 09:00"],
      ["timeDate", "2027-01-01T01:00:00Z", "于 2027年1月1日 09:00"],
      ["timeDate", "next monday", "无法识别的日期"],
      ["timeCycle", "R3/PT1H", "每1小时，共3次"],
      ["timeCycle", "R/P1D", "每1天，不限次数"],
      ["timeCycle", "R2/2027-01-01T09:00:00+08:00/P1W", "自 2027年1月1日 09:00 起，每1周，共2次"],
    ];
    for (const [kind, text, words] of cases) expect(timerPreview(kind, text), text).toBe(words);
  });

  it("refuses a zero duration or interval with the deploy check's own words", () => {
    for (const [kind, text] of [
      ["timeDuration", "P0D"],
      ["timeDuration", "PT0S"],
      ["timeDuration", "P0Y0M0DT0H"],
      ["timeCycle", "R/PT0S"],
      ["timeCycle", "R3/P0D"],
    ] as const) {
      const preview = timerPreview(kind, text);
      expect(preview, text).toMatch(/为0/);
      expect(timerSettingProblem(kind, text), text).toBe(preview);
    }
    // A century away is no deadline.
    expect(timerPreview("timeDuration", "P200Y")).toBe(timerSettingProblem("timeDuration", "P200Y"));
    expect(timerSettingProblem("timeDuration", "PT1H")).toBeNull();
  });

  it("refuses an interval under a minute, a malformed or huge repeat count, at deploy and at run time", () => {
    const refusals = {
      最短间隔为1分钟: ["R/PT0.0001S", "R/PT0.001S", "R/PT1S", "R5/PT59S"],
      // A cycle without its repeat count is refused before its interval is read.
      "应以 R 开头": ["P0D", "PT0S"],
      重复次数: ["R-1/PT1H", "R99999999999999999999/PT1H", "R1001/PT1H"],
    };
    for (const [says, cycles] of Object.entries(refusals))
      for (const cycle of cycles) {
        expect(timerValueProblem("timeCycle", cycle), cycle).toContain(says);
        expect(timerSettingProblem("timeCycle", cycle), cycle).toContain(says);
      }
    expect(timerSettingProblem("timeDuration", "PT0H0M0.0001S")).toContain("最短间隔为1分钟");
    expect(timerSettingProblem("timeDuration", "PT30S")).toContain("最短间隔为1分钟");
    // Worked out from a flow's data, a short wait is a period's end soon reached: it fires once.
    expect(timerValueProblem("timeDuration", "PT30S")).toBeNull();
    for (const fine of ["R1000/PT1M", "R/P1D", "R3/PT1H"]) expect(timerSettingProblem("timeCycle", fine), fine).toBeNull();
    expect(timerSettingProblem("timeDuration", "PT1M")).toBeNull();
  });

  it("refuses a date without its zone, and the panel writes the platform's (+08:00)", () => {
    // The engine reads 2027-01-01T09:00 as UTC: it would fire at 17:00 in Kunming.
    const problem = "定时器时间“2027-01-01T09:00”请注明时区，如 2027-01-01T09:00+08:00";
    expect(timerSettingProblem("timeDate", "2027-01-01T09:00")).toBe(problem);
    expect(timerPreview("timeDate", "2027-01-01T09:00")).toBe(problem);
    expect(timerSettingProblem("timeCycle", "R2/2027-01-01T09:00/P1D")).toBe(problem);
    expect(withPlatformZone("timeDate", "2027-01-01T09:00")).toBe("2027-01-01T09:00+08:00");
    expect(timerPreview("timeDate", withPlatformZone("timeDate", "2027-01-01T09:00"))).toBe("于 2027年1月1日 09:00");
    expect(withPlatformZone("timeCycle", "R2/2027-01-01T09:00:00/P1D")).toBe("R2/2027-01-01T09:00:00+08:00/P1D");
    expect(withPlatformZone("timeDate", "2027-01-01T01:00:00Z")).toBe("2027-01-01T01:00:00Z");
    expect(withPlatformZone("timeDuration", "P1D")).toBe("P1D");
  });

  it("refuses a cycle the engine would fire only once (R0, no R), in the preview and the runtime's rule", () => {
    for (const text of ["R0/PT1H", "PT1H"]) {
      const problem = timerValueProblem("timeCycle", text);
      expect(problem, text).toMatch(/重复次数/);
      expect(timerPreview("timeCycle", text), text).toBe(problem);
    }
    expect(timerValueProblem("timeCycle", "R1/PT1H")).toBeNull();
    expect(timerPreview("timeCycle", "R1/PT1H")).toBe("每1小时，共1次");
  });
});

it("names a lint finding's element once", () => {
  const reach = "Activity_15jwxgr：从开始事件无法到达该元素";
  expect(lintIssueText({ elementId: "Activity_15jwxgr", name: "Activity_15jwxgr", message: reach })).toBe(reach);
  const remind = "“提醒审核人”(remind)：定时器缺少时间设置";
  expect(lintIssueText({ elementId: "remind", name: "提醒审核人", message: remind })).toBe(remind);
  // bpmnlint's own messages do not name the element.
  expect(lintIssueText({ elementId: "t", name: "受理复核", message: "元素没有流出的连线（隐式结束）" })).toBe(
    "受理复核：元素没有流出的连线（隐式结束）",
  );
});

it("names who does a task", () => {
  expect(partyRule(["insurer"])).toBe("本流程的保险公司（业务对象的参与方）");
  expect(partyRule(["regulator"])).toBe("任一住建局用户");
});
