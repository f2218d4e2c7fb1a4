import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, notifications, processDefinitions } from "@db/schema";
import { resetClock, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { deployForm } from "~/server/forms/registry.server";
import {
  compareVersions,
  deployProcess,
  processDraft,
  processVersion,
  processVersionFile,
  processVersions,
  saveProcessDraft,
} from "~/server/process-admin/process-versions.server";
import { completeTask, deployBuiltIns, fireDueTimers, startProcess, xmlProblem } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { instanceRow, partiesOf, theOpenTask } from "../support/workflow";

// What an administrator does with a process's versions: a draft kept on the server, deploying it
// (or a file) as a new version with a reason, the list of versions (who, when, why), a version's file.

useTestDatabase();
beforeAll(() => deployBuiltIns());

const DEMO = readFileSync("processes/demo-approval.bpmn", "utf8");
const renamed = (name: string) => DEMO.replace('name="住建局审核"', `name="${name}"`);

describe("a process's draft", () => {
  it("is saved for its definition, one at a time, and not over someone else's", async () => {
    const admin = await demoActor("admin");
    expect(await processDraft(admin, "demo-approval")).toBeNull();
    const first = await saveProcessDraft(admin, "demo-approval", { xml: renamed("草稿一"), version: 0 });
    expect(first).toMatchObject({ key: "demo-approval", version: 1, basedOnVersion: 1, updatedByName: admin.displayName });
    const second = await saveProcessDraft(admin, "demo-approval", { xml: renamed("草稿二"), version: 1 });
    expect(second.version).toBe(2);
    // A page opened on version 1 of the draft does not overwrite version 2.
    await expect(saveProcessDraft(admin, "demo-approval", { xml: renamed("旧页面"), version: 1 })).rejects.toMatchObject({
      status: 409,
    });
    expect((await processDraft(admin, "demo-approval"))?.xml).toContain("草稿二");
    // A draft belongs to a deployed flow: none for a key no flow has.
    const stray = DEMO.replace('id="demo-approval"', 'id="no-such-flow"');
    await expect(saveProcessDraft(admin, "no-such-flow", { xml: stray, version: 0 })).rejects.toMatchObject({ status: 404 });
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "process.draft_save"), eq(auditEvents.subjectId, "demo-approval")))
      .limit(1);
    expect(audit.actorName).toBe(admin.displayName);
  });

  it("must be well-formed BPMN of its own process, and only administrators keep one", async () => {
    const admin = await demoActor("admin");
    await expect(saveProcessDraft(admin, "demo-approval", { xml: "<bpmn:definitions", version: 2 })).rejects.toMatchObject({
      status: 422,
      fields: { xml: expect.stringContaining("无法解析流程图 XML") },
    });
    await expect(saveProcessDraft(admin, "claim", { xml: DEMO, version: 0 })).rejects.toMatchObject({
      status: 422,
      fields: { xml: expect.stringContaining("“demo-approval”，不是“claim”") },
    });
    await expect(saveProcessDraft(admin, "demo-approval", { xml: 42, version: 2 })).rejects.toMatchObject({ status: 422 });
    await expect(saveProcessDraft(await demoActor("insurer"), "demo-approval", { xml: DEMO, version: 2 })).rejects.toMatchObject({
      status: 403,
    });
  });
});

describe("deploying with a reason", () => {
  it("needs a reason, and names each bad element when the check refuses", async () => {
    const admin = await demoActor("admin");
    await expect(deployProcess(admin, { xml: renamed("复核"), reason: "  " })).rejects.toMatchObject({
      status: 422,
      fields: { reason: "请填写发布原因" },
    });
    const bad = DEMO.replace('camunda:formKey="demo-review"', 'camunda:formKey="no-such-form"');
    await expect(deployProcess(admin, { xml: bad, reason: "试试" })).rejects.toMatchObject({
      status: 422,
      problems: [{ elementId: "review", message: "“住建局审核”(review)：表单“no-such-form”不存在" }],
    });
  });

  it("deploys the draft as the next version, deletes the draft, and lists who, when and why", async () => {
    const admin = await demoActor("admin");
    const draft = (await processDraft(admin, "demo-approval"))!;
    // A deploy naming an older version of the draft is stopped: someone saved since.
    await expect(deployProcess(admin, { xml: draft.xml, reason: "改名", draftVersion: draft.version - 1 })).rejects.toMatchObject({
      status: 409,
    });
    const { definition, created } = await deployProcess(admin, {
      xml: draft.xml,
      reason: "审核环节改名为草稿二",
      draftVersion: draft.version,
    });
    expect(created).toBe(true);
    expect(definition).toMatchObject({ key: "demo-approval", version: 2, reason: "审核环节改名为草稿二" });
    expect(await processDraft(admin, "demo-approval")).toBeNull();

    const versions = await processVersions(admin, "demo-approval");
    expect(versions.map((v) => [v.version, v.reason, v.builtIn, v.deployedByName])).toEqual([
      [1, null, true, "平台系统"],
      [2, "审核环节改名为草稿二", false, admin.displayName],
    ]);
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "process.deploy"), eq(auditEvents.subjectId, definition.id)));
    expect(audit.after).toMatchObject({ key: "demo-approval", version: 2, reason: "审核环节改名为草稿二" });
  });

  it("deploys nothing for an unchanged diagram, and answers the version it is", async () => {
    const admin = await demoActor("admin");
    const latest = await processVersion(admin, "demo-approval", 2);
    const again = await deployProcess(admin, { xml: latest.xml, reason: "再发一次" });
    expect(again).toMatchObject({ created: false, definition: { id: latest.id, version: 2, reason: "审核环节改名为草稿二" } });
    expect((await processVersions(admin, "demo-approval")).length).toBe(2);
  });

  it("keeps every version's file as it was deployed, and 404 for versions that do not exist", async () => {
    const admin = await demoActor("admin");
    expect((await processVersion(admin, "demo-approval", 1)).xml).toBe(DEMO);
    expect(xmlProblem((await processVersion(admin, "demo-approval", 2)).xml)).toBeNull();
    await expect(processVersion(admin, "demo-approval", 9)).rejects.toMatchObject({ status: 404 });
    await expect(processVersions(admin, "no-such-process")).rejects.toMatchObject({ status: 404 });
    await expect(processVersions(await demoActor("regulator"), "demo-approval")).rejects.toMatchObject({ status: 403 });
  });
});

describe("comparing two versions", () => {
  it("names the elements added, removed and changed", async () => {
    const admin = await demoActor("admin");
    const v2 = (await processVersion(admin, "demo-approval", 2)).xml;
    // Version 3: the reminder's service task and its end go, a step is added before the review.
    const v3 = v2
      .replace(/<bpmn:serviceTask id="remind"[\s\S]*?<\/bpmn:serviceTask>/, "")
      .replace(
        '<bpmn:sequenceFlow id="toRemind" sourceRef="reviewReminder" targetRef="remind" />',
        '<bpmn:sequenceFlow id="toRemind" sourceRef="reviewReminder" targetRef="remindEnd" />',
      )
      .replace('<bpmn:sequenceFlow id="toRemindEnd" sourceRef="remind" targetRef="remindEnd" />', "")
      .replace(/<bpmndi:BPMNShape id="remind_di"[\s\S]*?<\/bpmndi:BPMNShape>/, "")
      .replace(/<bpmndi:BPMNEdge id="toRemindEnd_di"[\s\S]*?<\/bpmndi:BPMNEdge>/, "");
    expect(xmlProblem(v3)).toBeNull();
    await deployProcess(admin, { xml: v3, reason: "去掉提醒服务" });
    const compared = await compareVersions(admin, "demo-approval", 1, 3);
    expect(compared.removed.map((e) => e.id)).toEqual(expect.arrayContaining(["remind", "toRemindEnd"]));
    expect(compared.changed).toEqual(expect.arrayContaining([{ id: "review", name: "草稿二" }]));
    expect(compared.added).toEqual([]);
    expect([compared.from.version, compared.to.version]).toEqual([1, 3]);
    await expect(compareVersions(admin, "demo-approval", 1, 99)).rejects.toMatchObject({ status: 404 });
  });

  it("counts a renamed process as one change of the process, not of its every element", async () => {
    const admin = await demoActor("admin");
    const v3 = (await processVersion(admin, "demo-approval", 3)).xml;
    const name = v3.match(/<bpmn:process id="demo-approval" name="([^"]*)"/)![1];
    await deployProcess(admin, { xml: v3.replace(`name="${name}"`, 'name="演示审批（改名）"'), reason: "改名" });
    const compared = await compareVersions(admin, "demo-approval", 3, 4);
    expect([compared.added, compared.removed, compared.changed, compared.moved]).toEqual([[], [], [], []]);
    expect(compared.process).toEqual({
      changed: true,
      from: { id: "demo-approval", name },
      to: { id: "demo-approval", name: "演示审批（改名）" },
    });
    expect((await compareVersions(admin, "demo-approval", 1, 3)).process.changed).toBe(false);
  });
});

describe("a user task's form version", () => {
  it("is the latest unless the task pins one that exists, the same for every task of that form", async () => {
    const admin = await demoActor("admin");
    const schema = JSON.parse(readFileSync("forms/demo-review.json", "utf8"));
    schema.title = "演示：审核（新版）";
    const v2 = await deployForm(admin, "demo-review", schema);
    const base = (await processVersion(admin, "demo-approval", 3)).xml;
    const pinned = (version: string) =>
      base.replace('camunda:formKey="demo-review"', `camunda:formKey="demo-review" camunda:formRefVersion="${version}"`);

    const latest = await deployProcess(admin, { xml: base, reason: "用新版审核表单" });
    expect(latest.definition.formVersions["demo-review"]).toBe(v2.version);
    const older = await deployProcess(admin, { xml: pinned("1"), reason: "审核表单退回第1版" });
    expect(older).toMatchObject({ created: true, definition: { formVersions: { "demo-review": 1 } } });
    await expect(deployProcess(admin, { xml: pinned("9"), reason: "不存在的版本" })).rejects.toMatchObject({
      status: 422,
      problems: [{ elementId: "review", message: "“草稿二”(review)：表单“demo-review”没有第9版" }],
    });
  });
});

describe("a file saved by Camunda Modeler 5", () => {
  it("deploys and runs: its forms, roles, deadline, service and gateway", async () => {
    const admin = await demoActor("admin");
    const insurer = await demoActor("insurer");
    const regulator = await demoActor("regulator");
    const xml = readFileSync("test/support/diagrams/camunda-modeler-5.bpmn", "utf8");
    const { definition } = await deployProcess(admin, { xml, reason: "从 Camunda Modeler 导入" });
    expect(definition).toMatchObject({ key: "cm5-approval", version: 1, name: "外部建模审批" });
    const started = await startProcess(insurer, {
      key: "cm5-approval",
      businessType: "demo",
      businessKey: crypto.randomUUID(),
      title: "外部建模",
      parties: partiesOf(insurer, regulator),
    });
    await completeTask(insurer, (await theOpenTask(started.id)).id, { submission: { subject: "申请", amount: 1 } });
    const review = await theOpenTask(started.id);
    expect(review).toMatchObject({ name: "住建局审核", candidateRoles: ["regulator"] });
    expect(review.dueAt).not.toBeNull();
    // Its deadline passes: the service Camunda Modeler wrote as camunda:expression tells the regulator.
    setClock(() => new Date(review.dueAt!.getTime() + 60_000));
    try {
      expect(await fireDueTimers()).toBe(1);
    } finally {
      resetClock();
    }
    expect(await instanceRow(started.id)).toMatchObject({ status: "running", incident: null });
    const told = await db().select().from(notifications).where(eq(notifications.title, "审核已超过7天"));
    expect(told.length).toBeGreaterThan(0);
    await completeTask(regulator, review.id, { submission: { decision: "approve" } });
    expect(await instanceRow(started.id)).toMatchObject({ status: "completed" });
  });
});

describe("a version's file to download", () => {
  it("has its flow references written in, and is served as stored when it cannot be written back", async () => {
    const admin = await demoActor("admin");
    const v1 = await processVersion(admin, "demo-approval", 1);
    const bare = v1.xml.replace(/\s*<bpmn:(incoming|outgoing)>[^<]*<\/bpmn:\1>/g, "");
    // Stored before the deploy check refused a standard prefix bound to another namespace: the
    // rewrite cannot write it back.
    const unwritable = bare.replace("<bpmn:extensionElements>", '<bpmn:extensionElements><bpmn:foo xmlns:bpmn="urn:notbpmn" />');
    expect(unwritable).not.toBe(bare);
    const { id: _id, ...row } = v1;
    await db()
      .insert(processDefinitions)
      .values([
        { ...row, version: 101, xml: bare, checksum: "bare" },
        { ...row, version: 102, xml: unwritable, checksum: "unwritable" },
      ]);
    const filled = await processVersionFile(admin, "demo-approval", 101);
    expect(filled.name).toBe("demo-approval-v101.bpmn");
    expect(filled.xml).toContain("<bpmn:incoming>");
    expect(xmlProblem(filled.xml)).toBeNull();
    expect((await processVersionFile(admin, "demo-approval", 102)).xml).toBe(unwritable);
    expect((await processVersionFile(admin, "demo-approval", 1)).xml).toBe(v1.xml);
  });
});
