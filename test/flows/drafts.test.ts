import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, taskDrafts } from "@db/schema";
import { createUser } from "~/server/admin/users.server";
import type { Actor } from "~/server/auth/actor";
import { resetClock, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/server/errors.server";
import { completeTask, deployBuiltIns, deployDefinition, fireDueTimers, startProcess } from "~/server/workflow/index.server";
import { discardDraft, saveDraft } from "~/server/tasks/drafts.server";
import { claimTask, unclaimTask } from "~/server/tasks/claim.server";
import { taskView } from "~/server/flow-views/task-view.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { policy, registration } from "../support/insurance";
import { partiesOf, theOpenTask } from "../support/workflow";

useTestDatabase();
beforeAll(() => deployBuiltIns());
afterEach(resetClock);

const draftsOf = (taskId: string) => db().select().from(taskDrafts).where(eq(taskDrafts.taskId, taskId));

/** A second insurer at PICC: same organisation and role as the demo insurer, another person. */
async function piccColleague(insurer: Actor): Promise<Actor> {
  await createUser(await demoActor("admin"), {
    username: "picc.zhao",
    password: "Safe2026pass",
    displayName: "人保赵专员",
    organisationId: insurer.organisationId,
    roles: ["insurer"],
  });
  return demoActor("picc.zhao");
}

describe("drafts of a task's form (草稿)", () => {
  describe("the insurer types half of 录入报建信息 and comes back later", () => {
    let insurer: Actor;
    let colleague: Actor;
    let instanceId: string;
    let taskId: string;
    const half = { permitNo: "KM-DRAFT-0301", name: "金马碧鸡苑", district: "530112" };

    beforeAll(async () => {
      insurer = await demoActor("insurer");
      colleague = await piccColleague(insurer);
      const instance = await startProcess(insurer, { key: "insurance-review", title: "新建承保项目 金马碧鸡苑" });
      instanceId = instance.id;
      taskId = (await theOpenTask(instanceId)).id;
    });

    it("opens the page with nothing saved before the first save", async () => {
      expect((await taskView(insurer, taskId)).draft).toBeNull();
    });

    it("keeps what was typed and opens the page with it, the stored values untouched", async () => {
      const { savedAt } = await saveDraft(insurer, taskId, half);
      const page = await taskView(insurer, taskId);
      expect(page.draft).toEqual({ values: half, savedAt });
      expect(page.task.submission).toBeNull();
    });

    it("replaces the draft with the newer values, and writes no audit event for it", async () => {
      const more = { ...half, communityName: "金马碧鸡" };
      await saveDraft(insurer, taskId, more);
      expect((await taskView(insurer, taskId)).draft?.values).toEqual(more);
      expect(await draftsOf(taskId)).toHaveLength(1);
      const events = await db().select().from(auditEvents).where(eq(auditEvents.subjectId, taskId));
      expect(events).toEqual([]);
    });

    it("a colleague of the same organisation does not get my draft, and keeps one of their own", async () => {
      expect((await taskView(colleague, taskId)).draft).toBeNull();
      await saveDraft(colleague, taskId, { permitNo: "KM-DRAFT-0302" });
      expect((await taskView(colleague, taskId)).draft?.values).toEqual({ permitNo: "KM-DRAFT-0302" });
      expect((await taskView(insurer, taskId)).draft?.values).toMatchObject(half);
    });

    it("another insurer does not find the task at all (404), to save or to discard", async () => {
      const other = await demoActor("insurer-cpic");
      await expect(saveDraft(other, taskId, half)).rejects.toBeInstanceOf(NotFoundError);
      await expect(discardDraft(other, taskId)).rejects.toBeInstanceOf(NotFoundError);
      await expect(saveDraft(insurer, "not-a-task", half)).rejects.toBeInstanceOf(NotFoundError);
    });

    it("the regulator sees the task but may not keep a draft of the insurer's form (403), nor sees one", async () => {
      const regulator = await demoActor("regulator");
      await expect(saveDraft(regulator, taskId, half)).rejects.toBeInstanceOf(ForbiddenError);
      expect((await taskView(regulator, taskId)).draft).toBeNull();
    });

    it("refuses what is not a form's values, and a draft over 256 KB, in Chinese (422)", async () => {
      for (const wrong of [null, "text", [1, 2], 42]) {
        await expect(saveDraft(insurer, taskId, wrong)).rejects.toMatchObject({ status: 422, message: "草稿的数据格式不正确" });
      }
      const huge = { ...half, address: "滇".repeat(90_000) };
      await expect(saveDraft(insurer, taskId, huge)).rejects.toBeInstanceOf(ValidationError);
      await expect(saveDraft(insurer, taskId, huge)).rejects.toMatchObject({
        status: 422,
        message: "草稿内容超过 256KB，无法自动保存，请尽快提交",
      });
      expect((await taskView(insurer, taskId)).draft?.values).not.toHaveProperty("address");
    });

    it("while a colleague has claimed the task, my draft is neither saved (409) nor shown", async () => {
      await claimTask(colleague, taskId);
      await expect(saveDraft(insurer, taskId, half)).rejects.toBeInstanceOf(ConflictError);
      expect((await taskView(insurer, taskId)).draft).toBeNull();
      await unclaimTask(colleague, taskId);
      expect((await taskView(insurer, taskId)).draft?.values).toMatchObject(half);
    });

    it("放弃草稿 drops my draft only", async () => {
      await discardDraft(insurer, taskId);
      expect((await taskView(insurer, taskId)).draft).toBeNull();
      expect((await taskView(colleague, taskId)).draft).not.toBeNull();
      await saveDraft(insurer, taskId, half);
    });

    it("submitting the task drops every user's draft of it; a draft saved afterwards is refused (409)", async () => {
      await completeTask(insurer, taskId, { submission: registration({ permitNo: "KM-DRAFT-0301", name: "金马碧鸡苑" }) });
      expect(await draftsOf(taskId)).toEqual([]);
      await expect(saveDraft(insurer, taskId, half)).rejects.toBeInstanceOf(ConflictError);
      expect((await taskView(insurer, taskId)).draft).toBeNull();
    });

    it("a step that comes back after a return opens with its last submission, not with a stale draft", async () => {
      const policyTask = await theOpenTask(instanceId);
      await saveDraft(insurer, policyTask.id, { policyNo: "半截保单" });
      await completeTask(insurer, policyTask.id, { submission: policy() });
      const regulator = await demoActor("regulator");
      await completeTask(regulator, (await theOpenTask(instanceId)).id, { submission: { decision: "return", reason: "图纸不全" } });
      const again = await theOpenTask(instanceId);
      expect(again.elementId).toBe("registration");
      const page = await taskView(insurer, again.id);
      expect(page.draft).toBeNull();
      expect(page.task.submission).toMatchObject({ permitNo: "KM-DRAFT-0301" });
    });
  });

  it("a task the flow closes by itself (its deadline passed) takes its drafts with it", async () => {
    setClock(() => new Date("2026-06-01T00:00:00Z"));
    const admin = await demoActor("admin");
    const tis = await demoActor("tis");
    await deployDefinition(
      admin,
      `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="https://idi.kunming/test">
  <bpmn:process id="draft-deadline" name="限期申请" isExecutable="true" camunda:candidateStarterGroups="admin">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="apply" />
    <bpmn:userTask id="apply" name="提交申请" camunda:formKey="demo-request" camunda:candidateGroups="tis" />
    <bpmn:boundaryEvent id="deadline" name="逾期关闭" attachedToRef="apply" cancelActivity="true">
      <bpmn:timerEventDefinition><bpmn:timeDuration>P3D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="apply" targetRef="end" />
    <bpmn:sequenceFlow id="f3" sourceRef="deadline" targetRef="closed" />
    <bpmn:endEvent id="end" />
    <bpmn:endEvent id="closed" />
  </bpmn:process>
</bpmn:definitions>`,
    );
    const instance = await startProcess(admin, { key: "draft-deadline", title: "限期申请", parties: partiesOf(tis) });
    const task = await theOpenTask(instance.id);
    await saveDraft(tis, task.id, { subject: "复查申请" });
    expect(await draftsOf(task.id)).toHaveLength(1);

    setClock(() => new Date("2026-06-04T00:00:01Z"));
    expect(await fireDueTimers()).toBe(1);
    expect(await draftsOf(task.id)).toEqual([]);
    await expect(saveDraft(tis, task.id, { subject: "复查申请" })).rejects.toBeInstanceOf(ConflictError);
  });
});
