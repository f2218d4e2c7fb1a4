import { readFileSync } from "node:fs";
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { processDefinitions } from "@db/schema";
import { db } from "~/server/db.server";
import { deployForm, latestForm } from "~/server/forms/registry.server";
import { completeTask, deployBuiltIns, deployDefinition, latestDefinition, startProcess } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { smallDiagram } from "../support/diagrams";
import { instanceRow, partiesOf, theOpenTask } from "../support/workflow";

useTestDatabase();
beforeAll(() => deployBuiltIns());

const DEMO = readFileSync("processes/demo-approval.bpmn", "utf8");

const diagram = (body: string, id = "check-demo") => smallDiagram(body, id);

const GOOD_TASK = `<bpmn:userTask id="task" name="填写" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />`;

/** An event subprocess beside the task, started by `start`. */
const eventSubprocess = (start: string) =>
  `${GOOD_TASK}<bpmn:subProcess id="onEvent" name="事件处理" triggeredByEvent="true">${start}<bpmn:sequenceFlow id="e1" sourceRef="trigger" targetRef="eventEnd" /><bpmn:endEvent id="eventEnd" /></bpmn:subProcess>`;

async function problemsOf(xml: string): Promise<string> {
  const admin = await demoActor("admin");
  try {
    await deployDefinition(admin, xml);
  } catch (error) {
    const e = error as { status: number; fields?: { xml?: string } };
    expect(e.status).toBe(422);
    return e.fields?.xml ?? "";
  }
  throw new Error("deploy was not refused");
}

describe("deploying a diagram", () => {
  it("deploys the built-in diagrams once, as version 1", async () => {
    expect(await deployBuiltIns()).toEqual([]);
    expect(await latestDefinition("demo-approval")).toMatchObject({ version: 1, name: "演示审批流程", deployedByName: "平台系统" });
  });

  it("deploys a valid diagram as the next version and audits it", async () => {
    const admin = await demoActor("admin");
    const first = await deployDefinition(admin, diagram(GOOD_TASK, "check-ok"));
    expect(first.version).toBe(1);
    // The same diagram again is not a new version.
    expect((await deployDefinition(admin, diagram(GOOD_TASK, "check-ok"))).id).toBe(first.id);
    const second = await deployDefinition(admin, diagram(GOOD_TASK.replace("填写", "填写资料"), "check-ok"));
    expect(second.version).toBe(2);
  });

  it("is for administrators only", async () => {
    await expect(deployDefinition(await demoActor("insurer"), diagram(GOOD_TASK, "check-x"))).rejects.toMatchObject({ status: 403 });
  });

  describe("refuses, naming the element and the reason", () => {
    const cases: [string, string, string][] = [
      ["unparsable XML", "<bpmn:definitions><oops", "无法解析流程图 XML"],
      ["an unknown form", GOOD_TASK.replace("demo-request", "no-such-form"), "“填写”(task)：表单“no-such-form”不存在"],
      [
        "a user task without a form",
        `<bpmn:userTask id="task" name="填写" camunda:candidateGroups="insurer" />`,
        "“填写”(task)：用户任务必须指定表单",
      ],
      [
        "an unknown role",
        GOOD_TASK.replace('candidateGroups="insurer"', 'candidateGroups="insurer,boss"'),
        "“填写”(task)：办理角色“boss”不是已知角色",
      ],
      [
        "a user task assigned to a person",
        GOOD_TASK.replace(" />", ' camunda:assignee="zhangsan" />'),
        "“填写”(task)：平台按角色和参与单位分派，不支持指定个人（camunda:assignee）",
      ],
      [
        "a user task offered to persons",
        GOOD_TASK.replace(" />", ' camunda:candidateUsers="zhangsan,lisi" />'),
        "“填写”(task)：平台按角色和参与单位分派，不支持指定个人（camunda:candidateUsers）",
      ],
      [
        "an unknown service",
        `<bpmn:serviceTask id="task" name="调用" implementation="\${environment.services.launchMissiles}" />`,
        "“调用”(task)：服务“launchMissiles”不在平台服务目录中",
      ],
      [
        "a script task",
        `<bpmn:scriptTask id="task" name="脚本" scriptFormat="javascript"><bpmn:script>next()</bpmn:script></bpmn:scriptTask>`,
        "“脚本”(task)：不允许使用脚本任务",
      ],
      [
        "a script condition",
        `${GOOD_TASK}<bpmn:sequenceFlow id="f3" sourceRef="task" targetRef="end"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">next(null, true)</bpmn:conditionExpression></bpmn:sequenceFlow>`,
        "f3：不允许使用脚本条件（javascript）",
      ],
      [
        "a condition that is not the safe form",
        `${GOOD_TASK}<bpmn:sequenceFlow id="f3" sourceRef="task" targetRef="end"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${environment.services.exec("rm")}</bpmn:conditionExpression></bpmn:sequenceFlow>`,
        "f3：条件使用了未知的判断函数“exec”",
      ],
      [
        "a timer that does not parse",
        `${GOOD_TASK}<bpmn:boundaryEvent id="late" name="超时" attachedToRef="task"><bpmn:timerEventDefinition><bpmn:timeDuration>five days</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent><bpmn:sequenceFlow id="f4" sourceRef="late" targetRef="end" />`,
        "“超时”(late)：定时器时间“five days”无法解析",
      ],
      [
        "an unreachable element",
        `${GOOD_TASK}<bpmn:userTask id="orphan" name="孤立任务" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />`,
        "“孤立任务”(orphan)：从开始事件无法到达该元素",
      ],
      // What the runtime cannot drive: the instance would hang, or fail on every try.
      [
        "a user task inside an event subprocess",
        eventSubprocess(
          `<bpmn:startEvent id="trigger" name="收到错误"><bpmn:errorEventDefinition /></bpmn:startEvent><bpmn:userTask id="inner" name="事件复核" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />`,
        ),
        "“事件复核”(inner)：平台暂不支持“事件处理”(onEvent)这类子流程（事件子流程、事务或多实例子流程）中的用户任务",
      ],
      [
        "a sequential multi-instance user task",
        GOOD_TASK.replace(
          " />",
          '><bpmn:multiInstanceLoopCharacteristics isSequential="true" camunda:collection="${environment.variables.orgs}" camunda:elementVariable="org" /></bpmn:userTask>',
        ),
        "“填写”(task)：平台暂不支持串行多实例用户任务，请使用并行多实例（会签/或签）",
      ],
      [
        "a multi-instance user task counted instead of listing its organisations",
        GOOD_TASK.replace(
          " />",
          "><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>2</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>",
        ),
        "“填写”(task)：会签/或签任务必须以 camunda:collection 指定办理单位列表",
      ],
      [
        "a multi-instance user task whose completion condition is code",
        GOOD_TASK.replace(
          " />",
          '><bpmn:multiInstanceLoopCharacteristics camunda:collection="${environment.variables.orgs}" camunda:elementVariable="org"><bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${nrOfCompletedInstances >= 1}</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>',
        ),
        "“填写”(task)：完成条件“${nrOfCompletedInstances >= 1}”不是允许的表达式",
      ],
      [
        "a looping user task",
        GOOD_TASK.replace(" />", '><bpmn:standardLoopCharacteristics loopMaximum="3" /></bpmn:userTask>'),
        "“填写”(task)：平台暂不支持循环用户任务",
      ],
      [
        "a message catch event that names no message: nothing can deliver it",
        `<bpmn:intermediateCatchEvent id="task" name="等待回执"><bpmn:messageEventDefinition /></bpmn:intermediateCatchEvent>`,
        "“等待回执”(task)：消息捕获事件必须引用一条消息（bpmn:message），否则没有任何途径能送达",
      ],
      [
        "a signal boundary event",
        `${GOOD_TASK}<bpmn:boundaryEvent id="recall" name="撤回" attachedToRef="task"><bpmn:signalEventDefinition /></bpmn:boundaryEvent><bpmn:sequenceFlow id="f4" sourceRef="recall" targetRef="end" />`,
        "“撤回”(recall)：平台暂不支持信号捕获事件",
      ],
      [
        "a message boundary event whose message has no name the API could use",
        `${GOOD_TASK}<bpmn:boundaryEvent id="notice" name="收到通知" attachedToRef="task"><bpmn:messageEventDefinition messageRef="m1" /></bpmn:boundaryEvent><bpmn:sequenceFlow id="f4" sourceRef="notice" targetRef="end" />`,
        "“收到通知”(notice)：消息m1必须有名称",
      ],
      [
        "a message whose sender role is unknown",
        `${GOOD_TASK}<bpmn:boundaryEvent id="notice" name="收到通知" attachedToRef="task"><bpmn:extensionElements><camunda:properties><camunda:property name="senderRole" value="bank" /></camunda:properties></bpmn:extensionElements><bpmn:messageEventDefinition messageRef="m1" /></bpmn:boundaryEvent><bpmn:sequenceFlow id="f4" sourceRef="notice" targetRef="end" />`,
        "“收到通知”(notice)：可发送消息的角色（senderRole）“bank”不是已知角色",
      ],
      [
        "a catch event without a trigger",
        `<bpmn:intermediateCatchEvent id="task" name="等待" />`,
        "“等待”(task)：中间捕获事件未指定触发条件",
      ],
      [
        "a signal start event in the process",
        `${GOOD_TASK}<bpmn:startEvent id="byNotice" name="收到通知"><bpmn:signalEventDefinition /></bpmn:startEvent><bpmn:sequenceFlow id="f5" sourceRef="byNotice" targetRef="task" />`,
        "“收到通知”(byNotice)：平台暂不支持信号开始事件",
      ],
      [
        "a message start event of an event subprocess",
        eventSubprocess(`<bpmn:startEvent id="trigger" name="收到撤销"><bpmn:messageEventDefinition /></bpmn:startEvent>`),
        "“收到撤销”(trigger)：平台暂不支持消息开始事件",
      ],
      [
        "a timer start event of an event subprocess",
        eventSubprocess(
          `<bpmn:startEvent id="trigger" name="每日催办" isInterrupting="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R/P1D</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>`,
        ),
        "“每日催办”(trigger)：平台暂不支持定时开始事件",
      ],
      [
        "a call activity",
        `<bpmn:callActivity id="task" name="调用子流程" calledElement="demo-approval" />`,
        "“调用子流程”(task)：平台暂不支持调用活动",
      ],
      ["a receive task", `<bpmn:receiveTask id="task" name="等待付款" />`, "“等待付款”(task)：平台暂不支持接收任务"],
      ["a manual task", `<bpmn:manualTask id="task" name="线下核对" />`, "“线下核对”(task)：平台暂不支持手工任务"],
      ["a complex gateway", `<bpmn:complexGateway id="task" name="汇合" />`, "“汇合”(task)：平台暂不支持复杂网关"],
    ];
    for (const [what, body, message] of cases) {
      it(`${what}`, async () => {
        const before = await db().select({ n: count() }).from(processDefinitions);
        const xml = what === "unparsable XML" ? body : diagram(body, `check-${cases.findIndex((c) => c[0] === what)}`);
        expect(await problemsOf(xml)).toContain(message);
        expect(await db().select({ n: count() }).from(processDefinitions)).toEqual(before);
      });
    }

    it("a drawing whose prefixes are not declared, which strict parsers (Camunda's, xmllint) refuse", async () => {
      const before = await db().select({ n: count() }).from(processDefinitions);
      const drawing = `<bpmndi:BPMNDiagram id="drawing"><bpmndi:BPMNPlane id="plane" bpmnElement="check-prefixes">
        <bpmndi:BPMNShape id="taskShape" bpmnElement="task"><dc:Bounds x="0" y="0" width="100" height="80" /></bpmndi:BPMNShape>
      </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>`;
      const xml = diagram(GOOD_TASK, "check-prefixes").replace("</bpmn:definitions>", `${drawing}</bpmn:definitions>`);
      expect(await problemsOf(xml)).toBe("无法解析流程图 XML：第 12 行第 33 列：命名空间前缀“bpmndi”未声明（xmlns:bpmndi）");
      const declared = xml.replace(
        "<bpmn:definitions ",
        '<bpmn:definitions xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" ',
      );
      expect((await deployDefinition(await demoActor("admin"), declared)).version).toBe(1);
      expect(await db().select({ n: count() }).from(processDefinitions)).toEqual([{ n: before[0].n + 1 }]);
    });

    it("a diagram too big to be read on screen, before anything reads it element by element", async () => {
      const tasks = Array.from({ length: 10_000 }, (_, i) => `<bpmn:task id="t${i}" />`).join("");
      expect(await problemsOf(diagram(GOOD_TASK + tasks, "check-size"))).toMatch(/^流程图过大（100\d\d个 XML 元素，最多10000个）$/);
    });

    it("a process keyed like an object's own machinery", async () => {
      expect(await problemsOf(diagram(GOOD_TASK, "constructor"))).toBe("流程标识“constructor”是保留名称，请换一个");
    });

    it("a process that names no starter roles", async () => {
      const before = await db().select({ n: count() }).from(processDefinitions);
      const xml = diagram(GOOD_TASK, "check-starters").replace(' camunda:candidateStarterGroups="insurer"', "");
      expect(await problemsOf(xml)).toContain("流程“检查用流程”(check-starters)：未指定可发起的角色（camunda:candidateStarterGroups）");
      expect(await db().select({ n: count() }).from(processDefinitions)).toEqual(before);
    });

    it("names every element it cannot run, not just the first", async () => {
      const problems = await problemsOf(
        diagram(`<bpmn:receiveTask id="task" name="等待付款" /><bpmn:sequenceFlow id="f3" sourceRef="task" targetRef="call" />
        <bpmn:callActivity id="call" name="调用子流程" calledElement="demo-approval" /><bpmn:sequenceFlow id="f4" sourceRef="call" targetRef="end" />`),
      );
      expect(problems).toContain("“等待付款”(task)：平台暂不支持接收任务");
      expect(problems).toContain("“调用子流程”(call)：平台暂不支持调用活动");
    });
  });

  it("keeps what the runtime can drive: timers, top-level errors, throw events, loops of services, subprocesses of services", async () => {
    const admin = await demoActor("admin");
    const body = `${GOOD_TASK}
      <bpmn:boundaryEvent id="late" name="超时" attachedToRef="task"><bpmn:timerEventDefinition><bpmn:timeDuration>P5D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:sequenceFlow id="f4" sourceRef="late" targetRef="notifyAll" />
      <bpmn:serviceTask id="notifyAll" name="逐一提醒" implementation="\${environment.services.notify}"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>2</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>
      <bpmn:sequenceFlow id="f5" sourceRef="notifyAll" targetRef="later" />
      <bpmn:subProcess id="later" name="稍后提醒"><bpmn:startEvent id="laterStart" /><bpmn:sequenceFlow id="l1" sourceRef="laterStart" targetRef="wait" />
        <bpmn:intermediateCatchEvent id="wait" name="等待一天"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        <bpmn:sequenceFlow id="l2" sourceRef="wait" targetRef="laterEnd" /><bpmn:endEvent id="laterEnd" /></bpmn:subProcess>
      <bpmn:sequenceFlow id="f6" sourceRef="later" targetRef="announced" />
      <bpmn:intermediateThrowEvent id="announced" name="已提醒"><bpmn:messageEventDefinition /></bpmn:intermediateThrowEvent>
      <bpmn:sequenceFlow id="f7" sourceRef="announced" targetRef="failed" />
      <bpmn:endEvent id="failed" name="失败"><bpmn:errorEventDefinition /></bpmn:endEvent>`;
    expect((await deployDefinition(admin, diagram(body, "check-runnable"))).version).toBe(1);
  });
});

describe("what administrators draw for co-signing, subprocesses and messages", () => {
  it("deploys 会签/或签 tasks, user tasks in an embedded subprocess with limits, and named message catch events", async () => {
    const admin = await demoActor("admin");
    const loop = (condition: string) =>
      `<bpmn:multiInstanceLoopCharacteristics camunda:collection="\${environment.output.task.signers}" camunda:elementVariable="signer">${condition}</bpmn:multiInstanceLoopCharacteristics>`;
    const body = `${GOOD_TASK}<bpmn:sequenceFlow id="f3" sourceRef="task" targetRef="all" />
      <bpmn:userTask id="all" name="会签" camunda:formKey="demo-review" camunda:candidateGroups="insurer">${loop("")}</bpmn:userTask>
      <bpmn:sequenceFlow id="f4" sourceRef="all" targetRef="any" />
      <bpmn:userTask id="any" name="或签" camunda:formKey="demo-review" camunda:candidateGroups="insurer">${loop('<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">${true}</bpmn:completionCondition>')}</bpmn:userTask>
      <bpmn:sequenceFlow id="f5" sourceRef="any" targetRef="sub" />
      <bpmn:subProcess id="sub" name="整改"><bpmn:startEvent id="subStart" /><bpmn:sequenceFlow id="s1" sourceRef="subStart" targetRef="inner" />
        <bpmn:userTask id="inner" name="整改" camunda:formKey="demo-request" camunda:candidateGroups="insurer" />
        <bpmn:boundaryEvent id="innerLimit" attachedToRef="inner"><bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        <bpmn:sequenceFlow id="s3" sourceRef="innerLimit" targetRef="subEnd" />
        <bpmn:sequenceFlow id="s2" sourceRef="inner" targetRef="subEnd" /><bpmn:endEvent id="subEnd" /></bpmn:subProcess>
      <bpmn:boundaryEvent id="subLimit" attachedToRef="sub"><bpmn:timerEventDefinition><bpmn:timeDuration>P5D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:sequenceFlow id="f6" sourceRef="subLimit" targetRef="end" />
      <bpmn:sequenceFlow id="f7" sourceRef="sub" targetRef="paid" />
      <bpmn:intermediateCatchEvent id="paid" name="付款完成"><bpmn:extensionElements><camunda:properties><camunda:property name="senderRole" value="insurer" /></camunda:properties></bpmn:extensionElements><bpmn:messageEventDefinition messageRef="m2" /></bpmn:intermediateCatchEvent>
      <bpmn:sequenceFlow id="f8" sourceRef="paid" targetRef="end" />`;
    expect((await deployDefinition(admin, diagram(body, "check-drawn"))).version).toBe(1);
  });
});

describe("a new version deployed while instances run", () => {
  it("leaves running instances on their version; new ones start on the latest", async () => {
    const insurer = await demoActor("insurer");
    const regulator = await demoActor("regulator");
    const admin = await demoActor("admin");
    const start = () =>
      startProcess(insurer, {
        key: "demo-approval",
        businessType: "demo",
        businessKey: crypto.randomUUID(),
        title: "版本",
        parties: partiesOf(insurer, regulator),
      });
    const old = await start();
    expect(old.definitionVersion).toBe(1);

    const v2 = await deployDefinition(admin, DEMO.replace('name="住建局审核"', 'name="住建局复核"'));
    expect(v2.version).toBe(2);

    await completeTask(insurer, (await theOpenTask(old.id)).id, { submission: { subject: "旧", amount: 1 } });
    const oldReview = await theOpenTask(old.id);
    expect(oldReview.name).toBe("住建局审核");
    await completeTask(regulator, oldReview.id, { submission: { decision: "approve" } });
    expect(await instanceRow(old.id)).toMatchObject({ status: "completed", definitionVersion: 1 });

    const fresh = await start();
    expect(fresh.definitionVersion).toBe(2);
    await completeTask(insurer, (await theOpenTask(fresh.id)).id, { submission: { subject: "新", amount: 1 } });
    expect((await theOpenTask(fresh.id)).name).toBe("住建局复核");
    expect(await db().select({ n: count() }).from(processDefinitions).where(eq(processDefinitions.key, "demo-approval"))).toEqual([
      { n: 2 },
    ]);
  });
});

describe("a new version of a form", () => {
  it("does not change tasks of running instances; processes deployed afterwards use it", async () => {
    const admin = await demoActor("admin");
    const insurer = await demoActor("insurer");
    const regulator = await demoActor("regulator");
    const start = () =>
      startProcess(insurer, {
        key: "demo-approval",
        businessType: "demo",
        businessKey: crypto.randomUUID(),
        title: "表单版本",
        parties: partiesOf(insurer, regulator),
      });
    const before = await start();
    const pinnedBefore = (await theOpenTask(before.id)).formVersion;

    const current = JSON.parse(readFileSync("forms/demo-request.json", "utf8"));
    current.properties.amount["x-validator"] = [
      { minimum: 0, message: "金额不能为负数" },
      { maximum: 1000, message: "金额不能超过1000元" },
    ];
    const v2 = await deployForm(admin, "demo-request", current);
    expect(v2.version).toBe(pinnedBefore! + 1);
    await expect(deployForm(insurer, "demo-request", current)).rejects.toMatchObject({ status: 403 });
    const scripted = {
      ...current,
      properties: { ...current.properties, subject: { ...current.properties.subject, default: "{{location.href}}" } },
    };
    await expect(deployForm(admin, "demo-request", scripted)).rejects.toMatchObject({
      status: 422,
      fields: { "subject.default": "表单中不允许表达式“{{location.href}}”" },
    });
    expect((await latestForm("demo-request"))?.version).toBe(v2.version);

    await completeTask(insurer, (await theOpenTask(before.id)).id, { submission: { subject: "旧表单", amount: 5000 } });

    const redeployed = await deployDefinition(admin, (await latestDefinition("demo-approval"))!.xml);
    expect(redeployed.formVersions["demo-request"]).toBe(v2.version);
    const after = await start();
    const task = await theOpenTask(after.id);
    expect(task.formVersion).toBe(v2.version);
    await expect(completeTask(insurer, task.id, { submission: { subject: "新表单", amount: 5000 } })).rejects.toMatchObject({
      status: 422,
      fields: { amount: "金额不能超过1000元" },
    });
  });
});

describe("the built-in diagrams at start", () => {
  it("deploys a built-in diagram again at start once a form it uses has a newer version, and finds the others as they are", async () => {
    const before = (await latestDefinition("risk-event"))!;
    const others = await db().select({ n: count() }).from(processDefinitions);
    const changed = JSON.parse(readFileSync("forms/risk-verification.json", "utf8"));
    changed.properties.reason.description = "未销项的，写明还缺什么";
    const form = await deployForm(await demoActor("admin"), "risk-verification", changed);
    const deployed = await deployBuiltIns();
    expect(deployed.map((d) => [d.key, d.version, d.formVersions["risk-verification"]])).toEqual([
      ["risk-event", before.version + 1, form.version],
    ]);
    expect(await db().select({ n: count() }).from(processDefinitions)).toEqual([{ n: others[0].n + 1 }]);
    expect(await deployBuiltIns()).toEqual([]);
  });
});
