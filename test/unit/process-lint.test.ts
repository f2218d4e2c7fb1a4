import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { BpmnModdle } from "bpmn-moddle";
import { describe, expect, it } from "vitest";
import { camundaModdle, xmlProblem } from "~/server/workflow/index.server";
import { PLATFORM_RULE_NAMES, lintConfig } from "~/shared/process-lint";
import { smallDiagram } from "../support/diagrams";

// The platform's deploy checks as bpmnlint rules, run by bpmnlint's own Linter on the server as the
// modeler runs them in the browser (app/shared/process-lint.ts): what each reports, on which element.

const { Linter } = createRequire(import.meta.url)("bpmnlint");

const OPTIONS = { forms: ["demo-request", "demo-review"], services: ["notify"] };

async function lint(xml: string, recommended = false): Promise<{ rule: string; id: string; message: string }[]> {
  const { rootElement } = await new BpmnModdle({ camunda: camundaModdle }).fromXML(xml, "bpmn:Definitions");
  const reports = (await new Linter(lintConfig(OPTIONS, { recommended })).lint(rootElement)) as Record<
    string,
    { id: string; message: string }[]
  >;
  return Object.entries(reports).flatMap(([rule, list]) => list.map((r) => ({ rule, id: r.id, message: r.message })));
}

const diagram = (body: string, process?: string) => smallDiagram(body, "lint-demo", process);

const GOOD_TASK = `<bpmn:userTask id="task" name="填写" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />`;

describe("the platform's lint rules", () => {
  it("find nothing in a diagram the platform runs", async () => {
    expect(await lint(diagram(GOOD_TASK))).toEqual([]);
  });

  it("are named idi/… and are errors", () => {
    const { rules } = lintConfig(OPTIONS, { recommended: true }).config;
    expect(PLATFORM_RULE_NAMES).toEqual(expect.arrayContaining(["idi/user-task", "idi/runtime-support", "idi/reachable", "idi/timer"]));
    for (const name of PLATFORM_RULE_NAMES) expect(rules[name]).toEqual(["error", OPTIONS]);
    // bpmnlint's recommended rules come with them for the modeler, as advice: a deploy does not refuse them.
    expect(rules["no-implicit-end"]).toBe("warn");
    expect(rules["no-implicit-split"]).toBe("warn");
  });

  const cases: [string, string, string, string, string][] = [
    ["an unknown form", GOOD_TASK.replace("demo-request", "no-such-form"), "idi/user-task", "task", "表单“no-such-form”不存在"],
    ["a role nobody has", GOOD_TASK.replace('"insurer"', '"insurer,boss"'), "idi/user-task", "task", "办理角色“boss”不是已知角色"],
    [
      "a form version that is not a number",
      GOOD_TASK.replace('camunda:formKey="demo-request"', 'camunda:formKey="demo-request" camunda:formRefVersion="abc"'),
      "idi/form-version",
      "task",
      "表单“demo-request”没有第abc版",
    ],
    [
      "a task assigned to a person",
      GOOD_TASK.replace(" />", ' camunda:assignee="${initiator}" />'),
      "idi/user-task",
      "task",
      "平台按角色和参与单位分派，不支持指定个人（camunda:assignee）",
    ],
    [
      "a service not registered",
      `<bpmn:serviceTask id="task" name="调用" implementation="\${environment.services.launchMissiles}" />`,
      "idi/service-task",
      "task",
      "服务“launchMissiles”不在平台服务目录中",
    ],
    [
      "a script task",
      `<bpmn:scriptTask id="task" name="脚本" scriptFormat="javascript"><bpmn:script>next()</bpmn:script></bpmn:scriptTask>`,
      "idi/no-script",
      "task",
      "不允许使用脚本任务",
    ],
    [
      "a condition that is not the safe form",
      `${GOOD_TASK}<bpmn:sequenceFlow id="f3" sourceRef="task" targetRef="end"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${environment.services.exec("rm")}</bpmn:conditionExpression></bpmn:sequenceFlow>`,
      "idi/condition",
      "f3",
      "未知的判断函数“exec”",
    ],
    [
      "a timer that does not parse",
      `${GOOD_TASK}<bpmn:boundaryEvent id="late" name="超时" attachedToRef="task"><bpmn:timerEventDefinition><bpmn:timeDuration>five days</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent><bpmn:sequenceFlow id="f4" sourceRef="late" targetRef="end" />`,
      "idi/timer",
      "late",
      "定时器时间“five days”无法解析",
    ],
    [
      "an element nothing leads to",
      `${GOOD_TASK}<bpmn:userTask id="orphan" name="孤立任务" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />`,
      "idi/reachable",
      "orphan",
      "从开始事件无法到达该元素",
    ],
    [
      "what the runtime cannot drive",
      `<bpmn:callActivity id="task" name="调用" calledElement="other" />`,
      "idi/runtime-support",
      "task",
      "平台暂不支持调用活动",
    ],
  ];
  it.each(cases)("report %s on the element", async (_, body, rule, id, message) => {
    const reports = await lint(diagram(body));
    expect(reports).toContainEqual({ rule, id, message: expect.stringContaining(message) });
  });

  it("report a process anyone could start on the process", async () => {
    expect(await lint(diagram(GOOD_TASK, ""))).toEqual([
      { rule: "idi/starter-roles", id: "lint-demo", message: expect.stringContaining("未指定可发起的角色") },
    ]);
  });

  it("with the recommended rules, mark a task whose flow leads nowhere", async () => {
    const dangling = diagram(
      `${GOOD_TASK}<bpmn:userTask id="next" name="下一步" camunda:formKey="demo-request" camunda:candidateGroups="insurer" /><bpmn:sequenceFlow id="f3" sourceRef="task" targetRef="next" />`,
    );
    expect(await lint(dangling, true)).toContainEqual({ rule: "no-implicit-end", id: "next", message: expect.any(String) });
  });

  it("with the recommended rules, warn of a task of no type (it would run as nothing), which a deploy accepts", async () => {
    const plain = diagram(
      GOOD_TASK.replace(
        '<bpmn:userTask id="task" name="填写" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />',
        '<bpmn:task id="task" name="填写" />',
      ),
    );
    expect(await lint(plain, true)).toContainEqual({
      rule: "idi/plain-task",
      id: "task",
      message: "“填写”(task)：未设置任务类型，不会生成待办或执行服务（用扳手改为用户任务或服务任务）",
    });
    expect((await lint(diagram(GOOD_TASK), true)).filter((r) => r.rule === "idi/plain-task")).toEqual([]);
    expect(lintConfig(OPTIONS, { recommended: true }).config.rules["idi/plain-task"]).toBe("warn");
    expect(await lint(plain)).toEqual([]);
  });

  it("find nothing wrong in the shipped diagrams", async () => {
    const forms = readdirSync("forms")
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.replace(/\.json$/, ""));
    const options = { forms, services: ["notify", "startProcess"] };
    for (const file of readdirSync("processes").filter((f) => f.endsWith(".bpmn"))) {
      const { rootElement } = await new BpmnModdle({ camunda: camundaModdle }).fromXML(
        readFileSync(`processes/${file}`, "utf8"),
        "bpmn:Definitions",
      );
      const reports = await new Linter(lintConfig(options, { recommended: false })).lint(rootElement);
      // Services registered by business modules (claims, risk…) are not in this list: only those are allowed.
      const other = Object.entries(reports as Record<string, { message: string }[]>).flatMap(([rule, list]) =>
        list
          .filter((r) => !(rule === "idi/service-task" && r.message.includes("不在平台服务目录中")))
          .map((r) => `${file} ${rule}: ${r.message}`),
      );
      expect(other).toEqual([]);
    }
  });

  it("pass the recommended rules too, and a strict XML parser, as the files are (no reference filled in)", async () => {
    const forms = readdirSync("forms")
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.replace(/\.json$/, ""));
    const options = { forms, services: [] };
    for (const file of readdirSync("processes").filter((f) => f.endsWith(".bpmn"))) {
      const xml = readFileSync(`processes/${file}`, "utf8");
      expect(xmlProblem(xml), file).toBeNull();
      const { rootElement } = await new BpmnModdle({ camunda: camundaModdle }).fromXML(xml, "bpmn:Definitions");
      const reports = (await new Linter(lintConfig(options, { recommended: true })).lint(rootElement)) as Record<
        string,
        { id: string; message: string; category: string }[]
      >;
      const errors = Object.entries(reports).flatMap(([rule, list]) =>
        list.filter((r) => r.category === "error" && rule !== "idi/service-task").map((r) => `${file} ${rule} ${r.id}: ${r.message}`),
      );
      expect(errors).toEqual([]);
    }
  });

  it("look inside transactions and ad-hoc subprocesses too, and refuse them", async () => {
    for (const container of ["transaction", "adHocSubProcess"]) {
      const xml = diagram(
        `<bpmn:${container} id="task"><bpmn:scriptTask id="inner" scriptFormat="javascript"><bpmn:script>1</bpmn:script></bpmn:scriptTask>` +
          `<bpmn:userTask id="innerTask" camunda:formKey="no-such-form" camunda:candidateGroups="nobody" /></bpmn:${container}>`,
      );
      const found = await lint(xml);
      expect(found, container).toContainEqual({
        rule: "idi/runtime-support",
        id: "task",
        message: expect.stringContaining("平台暂不支持"),
      });
      expect(found, container).toContainEqual({ rule: "idi/no-script", id: "inner", message: expect.stringContaining("脚本") });
      expect(found, container).toContainEqual({ rule: "idi/user-task", id: "innerTask", message: expect.stringContaining("no-such-form") });
    }
  });

  it("refuse a script in an input/output mapping", async () => {
    const mapped = GOOD_TASK.replace(
      " />",
      '><bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="x"><camunda:script scriptFormat="javascript">1</camunda:script></camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>',
    );
    expect(await lint(diagram(mapped))).toContainEqual({
      rule: "idi/no-script",
      id: "task",
      message: expect.stringContaining("camunda:script"),
    });
  });

  it("read a process's elements a bounded number of times, not once per element, and anew on each run", async () => {
    const catches = Array.from(
      { length: 300 },
      (_, i) =>
        `<bpmn:intermediateCatchEvent id="wait${i}" name="等待${i}"><bpmn:signalEventDefinition signalRef="over" /></bpmn:intermediateCatchEvent>`,
    ).join("");
    const xml = diagram(`${GOOD_TASK}${catches}`).replace("<bpmn:message id", '<bpmn:signal id="over" name="结束" /><bpmn:message id');
    // create is moddle's, mixed in, and missing from bpmn-moddle's types.
    const moddle = new BpmnModdle({ camunda: camundaModdle }) as BpmnModdle & { create(type: string, attrs: object): object };
    const { rootElement, elementsById } = (await moddle.fromXML(xml, "bpmn:Definitions")) as unknown as {
      rootElement: unknown;
      elementsById: Record<string, Record<string, unknown>>;
    };
    const process = elementsById["lint-demo"];
    const elements = process.flowElements as unknown[];
    let reads = 0;
    Object.defineProperty(process, "flowElements", { get: () => (reads++, elements), configurable: true });
    const linter = new Linter(lintConfig(OPTIONS, { recommended: false }));
    const report = async () => (await linter.lint(rootElement))["idi/runtime-support"] as { id: string }[] | undefined;
    // Nothing throws the signal: every catch event would wait for ever.
    expect((await report())?.length).toBe(300);
    expect(reads).toBeLessThan(100);
    // The modeler lints again with the same Linter once a throw event is drawn: now it is delivered.
    const signal = moddle.create("bpmn:SignalEventDefinition", { signalRef: elementsById.over });
    const thrower = moddle.create("bpmn:IntermediateThrowEvent", { id: "throw", eventDefinitions: [signal] });
    Object.assign(thrower, { $parent: process });
    elements.push(thrower);
    expect(await report()).toBeUndefined();
  });

  it("accept a file saved by Camunda Modeler 5", async () => {
    expect(await lint(readFileSync("test/support/diagrams/camunda-modeler-5.bpmn", "utf8"))).toEqual([]);
  });
});
