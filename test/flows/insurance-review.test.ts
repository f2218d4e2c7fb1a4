import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications, organisations, policies, policyShares, processInstances, projects } from "@db/schema";
import { db } from "~/server/db.server";
import { completeTask, deployBuiltIns, getTask, startProcess } from "~/server/workflow/index.server";
import { NotFoundError } from "~/server/errors.server";
import { recordRegistration } from "~/server/projects/insurance.server";
import { listTasks } from "~/server/tasks/inbox.server";
import { taskView } from "~/server/flow-views/task-view.server";
import { listAuditEvents } from "~/server/admin/audit-log.server";
import type { Actor } from "~/server/auth/actor";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { newCreditCode, policy, registration } from "../support/insurance";
import { demoCreditCode, instanceRow, theOpenTask } from "../support/workflow";

useTestDatabase();
beforeAll(() => deployBuiltIns());

async function startReview(title: string) {
  const insurer = await demoActor("insurer");
  // Started under a draft title, as the 项目 page does; the registration names it.
  const instance = await startProcess(insurer, { key: "insurance-review", title: `新建承保项目 ${title}` });
  return { insurer, instance, projectId: instance.businessKey };
}

/** What the service itself answers to a registration, without the task's form before it. */
function registerDirectly(insurer: Actor, projectId: string, overrides: Record<string, unknown>) {
  return db()
    .transaction((tx) => recordRegistration(tx, insurer, projectId, registration(overrides)))
    .catch((e: unknown) => e);
}

/** A refused policy leaves no policy behind and the same task open. */
async function expectNoPolicy(projectId: string, instanceId: string, taskId: string) {
  expect(await db().select().from(policies).where(eq(policies.projectId, projectId))).toEqual([]);
  expect((await theOpenTask(instanceId)).id).toBe(taskId);
}

describe("insurance review (保险审核)", () => {
  describe("the insurer registers a project and its policy; the regulator returns it; the insurer corrects; the regulator confirms", () => {
    let ctx: Awaited<ReturnType<typeof startReview>>;

    it("records the registration, registering an unknown designer for review", async () => {
      ctx = await startReview("滇池湾花园二期");
      expect(ctx.instance.businessType).toBe("project");
      await completeTask(ctx.insurer, (await theOpenTask(ctx.instance.id)).id, { submission: registration() });
      const [project] = await db().select().from(projects).where(eq(projects.id, ctx.projectId));
      expect(project).toMatchObject({
        permitNo: "KM-2026-0101",
        status: "draft",
        leadInsurerId: ctx.insurer.organisationId,
        grossFloorArea: "86500.00",
      });
      const [designer] = await db().select().from(organisations).where(eq(organisations.id, project.designerId!));
      expect(designer).toMatchObject({ name: "昆明新设计院有限公司", type: "designer", status: "pending_review" });
      // The platform's administrators are told, with a link to review it.
      const admin = await demoActor("admin");
      const [note] = await db().select().from(notifications).where(eq(notifications.userId, admin.userId!));
      expect(note).toMatchObject({ title: "新登记单位待审核：昆明新设计院有限公司", link: `/admin/organisations/${designer.id}` });
      expect(await instanceRow(ctx.instance.id)).toMatchObject({
        title: "滇池湾花园二期",
        parties: { insurer: ctx.insurer.organisationId, developer: project.developerId, designer: project.designerId },
      });
    });

    it("another insurer neither sees nor can do the lead insurer's steps", async () => {
      const other = await demoActor("insurer-cpic");
      const policyTask = await theOpenTask(ctx.instance.id);
      expect(policyTask.organisationId).toBe(ctx.insurer.organisationId);
      expect((await listTasks(other, {})).rows.map((t) => t.id)).not.toContain(policyTask.id);
      await expect(getTask(other, policyTask.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(completeTask(other, policyTask.id, { submission: policy() })).rejects.toBeInstanceOf(NotFoundError);
    });

    it("records the policy with its shares; the project awaits the regulator", async () => {
      await completeTask(ctx.insurer, (await theOpenTask(ctx.instance.id)).id, { submission: policy() });
      const [project] = await db().select().from(projects).where(eq(projects.id, ctx.projectId));
      expect(project.status).toBe("awaiting_confirmation");
      const [saved] = await db().select().from(policies).where(eq(policies.projectId, ctx.projectId));
      expect(saved).toMatchObject({ policyNo: "PICC-IDI-2026-0001", rate: "0.015000", premium: "4680000.00" });
      const shares = await db().select().from(policyShares).where(eq(policyShares.policyId, saved.id));
      expect(shares.map((s) => [s.kind, s.isLead, s.share]).sort()).toEqual([
        ["insurer", false, "40.00"],
        ["insurer", true, "60.00"],
        ["reinsurer", false, "30.00"],
      ]);
      expect((await theOpenTask(ctx.instance.id)).elementId).toBe("confirmation");
    });

    it("the regulator returns it with a reason; the insurer's steps reopen", async () => {
      const regulator = await demoActor("regulator");
      const confirmation = await theOpenTask(ctx.instance.id);
      await expect(completeTask(regulator, confirmation.id, { submission: { decision: "return" } })).rejects.toMatchObject({
        fields: { reason: "退回时必须填写退回原因" },
      });
      await completeTask(regulator, confirmation.id, { submission: { decision: "return", reason: "施工单位信息有误" } });
      const [project] = await db().select().from(projects).where(eq(projects.id, ctx.projectId));
      expect(project).toMatchObject({ status: "returned", returnReason: "施工单位信息有误" });
      expect((await theOpenTask(ctx.instance.id)).elementId).toBe("registration");
    });

    it("after correction, confirmation makes the project insured and starts risk management with the appointed TIS", async () => {
      const corrected = await theOpenTask(ctx.instance.id);
      await completeTask(ctx.insurer, corrected.id, {
        submission: registration({ contractor: { creditCode: demoCreditCode("con-km3") } }),
      });
      // The audit log shows what the correction changed, not the whole registration again.
      const log = await listAuditEvents(await demoActor("admin"), { q: corrected.id, action: "task.complete" });
      expect(log.rows).toHaveLength(1);
      expect(log.rows[0].changes.map((c) => c.field)).toEqual(["施工单位统一社会信用代码"]);
      // A corrected policy sent back (to the insurer) opens with what was submitted before.
      expect((await taskView(ctx.insurer, (await theOpenTask(ctx.instance.id)).id)).task.submission).toMatchObject({ leadShare: 60 });
      await completeTask(ctx.insurer, (await theOpenTask(ctx.instance.id)).id, { submission: policy() });
      // The regulator's second review opens empty: last round's 退回 and its reason are not this round's decision.
      const second = await taskView(await demoActor("regulator"), (await theOpenTask(ctx.instance.id)).id);
      expect(second.task.submission).toBeNull();
      await completeTask(await demoActor("regulator"), (await theOpenTask(ctx.instance.id)).id, { submission: { decision: "confirm" } });
      const [project] = await db().select().from(projects).where(eq(projects.id, ctx.projectId));
      expect(project.status).toBe("insured");
      expect(await instanceRow(ctx.instance.id)).toMatchObject({ status: "completed" });
      const [risk] = await db()
        .select()
        .from(processInstances)
        .where(and(eq(processInstances.definitionKey, "risk-management"), eq(processInstances.businessKey, ctx.projectId)));
      const plan = await theOpenTask(risk.id);
      expect(plan).toMatchObject({ elementId: "plan", organisationId: project.tisId });
      expect(project.tisId).toBe((await demoActor("tis")).organisationId);
    });
  });

  describe("bad data is refused with a Chinese field message and changes nothing", () => {
    it.each([
      ["a duplicate 报建号", "registration", { permitNo: "KM-2026-0101" }, "permitNo", "报建号“KM-2026-0101”已登记，不能重复投保"],
      [
        "a wrong credit code",
        "registration",
        { contractor: { creditCode: "91530100MA6X6Q9R80" } },
        "contractor.creditCode",
        "统一社会信用代码校验位错误，请核对后重新输入",
      ],
      [
        "an unknown party without a name",
        "registration",
        { supervisor: { creditCode: newCreditCode("MA6Y9Q8R7") } },
        "supervisor.name",
        "平台尚未登记该单位，请填写监理单位名称",
      ],
      [
        "a party of the wrong type",
        "registration",
        { developer: { creditCode: demoCreditCode("con-yj2") } },
        "developer.creditCode",
        "该信用代码登记的是施工单位“云南建设投资第二建筑工程有限公司”，不是建设单位",
      ],
      [
        "completion before start",
        "registration",
        { plannedCompletionDate: "2026-01-01" },
        "plannedCompletionDate",
        "计划竣工日期应晚于开工日期",
      ],
    ])("%s", async (_what, _step, overrides, field, message) => {
      const { insurer, instance, projectId } = await startReview(`错误数据 ${field}`);
      const task = await theOpenTask(instance.id);
      await expect(
        completeTask(insurer, task.id, { submission: registration({ permitNo: `KM-ERR-${field.length}${message.length}`, ...overrides }) }),
      ).rejects.toMatchObject({
        status: 422,
        fields: { [field]: message },
      });
      expect(await db().select().from(projects).where(eq(projects.id, projectId))).toEqual([]);
      expect((await theOpenTask(instance.id)).id).toBe(task.id);
    });

    it.each([
      ["shares that do not add up to 100 %", { leadShare: 50 }, "coinsurers", "主承保与共保份额合计应为100%，当前为90%"],
      ["a premium that is not sum insured × rate", { premium: 4000000 }, "premium", "保费应等于保险金额×费率，即 4680000.00 元"],
      ["a period that ends before it starts", { periodEnd: "2028-01-01" }, "periodEnd", "保险止期应晚于保险起期"],
      ["an unknown TIS", { tisCreditCode: newCreditCode("MA6Y7T7T7") }, "tisCreditCode", "平台上没有该信用代码的风险管理机构"],
    ])("%s", async (_what, overrides, field, message) => {
      const { insurer, instance, projectId } = await startReview(`错误保单 ${field}`);
      await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: registration({ permitNo: `KM-POL-${field}` }) });
      const task = await theOpenTask(instance.id);
      await expect(completeTask(insurer, task.id, { submission: policy({ policyNo: `P-${field}`, ...overrides }) })).rejects.toMatchObject({
        status: 422,
        fields: { [field]: message },
      });
      await expectNoPolicy(projectId, instance.id, task.id);
    });
  });

  describe("amounts beyond what the register holds are refused, not turned into an incident", () => {
    it("a registration with a huge cost and floor area gets a 422 naming both; the flow keeps running", async () => {
      const { insurer, instance, projectId } = await startReview("超大数额 报建");
      const task = await theOpenTask(instance.id);
      await expect(
        completeTask(insurer, task.id, {
          submission: registration({ permitNo: "KM-HUGE-0001", constructionCost: 1e17, grossFloorArea: 1e13, homeCount: 1e9 }),
        }),
      ).rejects.toMatchObject({
        status: 422,
        fields: {
          constructionCost: "建安造价不能超过1万亿元",
          grossFloorArea: "建筑面积不能超过1000万平方米",
          homeCount: "户数不能超过10万",
        },
      });
      expect(await db().select().from(projects).where(eq(projects.id, projectId))).toEqual([]);
      expect(await instanceRow(instance.id)).toMatchObject({ status: "running", incident: null });
      expect((await theOpenTask(instance.id)).id).toBe(task.id);
    });

    it("a policy with a huge sum insured and premium gets a 422 naming both; the flow keeps running", async () => {
      const { insurer, instance, projectId } = await startReview("超大数额 保单");
      await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: registration({ permitNo: "KM-HUGE-0002" }) });
      const task = await theOpenTask(instance.id);
      await expect(
        completeTask(insurer, task.id, {
          submission: policy({ policyNo: "P-HUGE-0002", sumInsured: 1e15, ratePercent: 1, premium: 1e13 }),
        }),
      ).rejects.toMatchObject({
        status: 422,
        fields: { sumInsured: "保险金额不能超过1万亿元", premium: "保费不能超过1000亿元" },
      });
      expect(await instanceRow(instance.id)).toMatchObject({ status: "running", incident: null });
      await expectNoPolicy(projectId, instance.id, task.id);
    });

    it("the service refuses them on its own too", async () => {
      const { insurer, projectId } = await startReview("超大数额 服务");
      const refusal = await registerDirectly(insurer, projectId, { permitNo: "KM-HUGE-0003", constructionCost: 1e17, buildingCount: 5000 });
      expect(refusal).toMatchObject({
        status: 422,
        fields: { constructionCost: "建安造价不能超过1万亿元", buildingCount: "楼栋数不能超过1000" },
      });
    });
  });

  it("names no organisation outside the public register: a pending one of the wrong type, a disabled one", async () => {
    const pending = newCreditCode("MA6P9N8D7");
    const disabled = newCreditCode("MA6D9S8B7");
    await db()
      .insert(organisations)
      .values([
        { type: "developer", name: "待审核的秘密单位", creditCode: pending, status: "pending_review" },
        { type: "contractor", name: "已停用的秘密单位", creditCode: disabled, status: "disabled" },
      ]);
    const { insurer, instance } = await startReview("不公开的单位");
    const task = await theOpenTask(instance.id);
    const refused = await completeTask(insurer, task.id, {
      submission: registration({ permitNo: "KM-HIDDEN-0001", contractor: { creditCode: pending }, supervisor: { creditCode: disabled } }),
    }).then(
      () => ({ fields: {} }),
      (e: { fields: Record<string, string> }) => e,
    );
    expect(refused).toMatchObject({
      status: 422,
      fields: { "contractor.creditCode": "该信用代码登记的是建设单位，不是施工单位" },
    });
    expect(JSON.stringify(refused.fields)).not.toContain("秘密单位");
  });

  describe("every error of a submission comes back at once", () => {
    it("a registration with a date out of order, a taken 报建号 and bad parties gets one 422 naming all of them", async () => {
      const first = await startReview("一次报错 已登记");
      await completeTask(first.insurer, (await theOpenTask(first.instance.id)).id, {
        submission: registration({ permitNo: "KM-ONCE-0001", name: "一次报错 已登记" }),
      });
      const { insurer, instance, projectId } = await startReview("一次报错");
      const task = await theOpenTask(instance.id);
      await expect(
        completeTask(insurer, task.id, {
          submission: registration({
            permitNo: "KM-ONCE-0001",
            plannedCompletionDate: "2026-01-01",
            developer: { creditCode: demoCreditCode("con-yj2") },
            supervisor: { creditCode: newCreditCode("MA6Y9Q8R6") },
            designer: { creditCode: "91530100MA6X6Q9R80" },
          }),
        }),
      ).rejects.toMatchObject({
        status: 422,
        fields: {
          permitNo: "报建号“KM-ONCE-0001”已登记，不能重复投保",
          plannedCompletionDate: "计划竣工日期应晚于开工日期",
          "developer.creditCode": "该信用代码登记的是施工单位“云南建设投资第二建筑工程有限公司”，不是建设单位",
          "supervisor.name": "平台尚未登记该单位，请填写监理单位名称",
          "designer.creditCode": "统一社会信用代码校验位错误，请核对后重新输入",
        },
      });
      expect(await db().select().from(projects).where(eq(projects.id, projectId))).toEqual([]);
      expect((await theOpenTask(instance.id)).id).toBe(task.id);
    });

    it("a policy with a wrong premium, shares that do not add up and parties the register refuses gets one 422 naming all of them", async () => {
      const { insurer, instance, projectId } = await startReview("一次报错 保单");
      await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: registration({ permitNo: "KM-ONCE-0002" }) });
      const task = await theOpenTask(instance.id);
      const error = await completeTask(insurer, task.id, {
        submission: policy({
          policyNo: "P-ONCE-0002",
          premium: 4000000,
          leadShare: 50,
          coinsurers: [
            { creditCode: demoCreditCode("cpic"), share: 20 },
            { creditCode: demoCreditCode("picc"), share: 10 },
            { creditCode: demoCreditCode("cpic"), share: 10 },
          ],
          reinsurers: [{ creditCode: demoCreditCode("cpic"), share: 30 }],
        }),
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        status: 422,
        fields: {
          premium: "保费应等于保险金额×费率，即 4680000.00 元",
          coinsurers: "主承保与共保份额合计应为100%，当前为90%",
          "coinsurers.1.creditCode": "主承保公司不能同时作为共保公司",
          "coinsurers.2.creditCode": "同一家共保公司只能填写一次",
          "reinsurers.0.creditCode": "该信用代码登记的是保险公司“中国太平洋财产保险股份有限公司云南分公司”，不是再保险公司",
        },
      });
      await expectNoPolicy(projectId, instance.id, task.id);
    });

    it("a policy with days that do not exist and a wrong premium gets one 422 naming all three, and no order of a non-date", async () => {
      const { insurer, instance, projectId } = await startReview("一次报错 日期");
      await completeTask(insurer, (await theOpenTask(instance.id)).id, { submission: registration({ permitNo: "KM-ONCE-0003" }) });
      const task = await theOpenTask(instance.id);
      const error = await completeTask(insurer, task.id, {
        submission: policy({ policyNo: "P-ONCE-0003", periodStart: "2026-02-30", issueDate: "2026-02-31", premium: 1 }),
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 422 });
      expect((error as { fields: unknown }).fields).toEqual({
        periodStart: "“保险起期”应为有效日期（年-月-日）",
        issueDate: "“签单日期”应为有效日期（年-月-日）",
        premium: "保费应等于保险金额×费率，即 4680000.00 元",
      });
      const month13 = await completeTask(insurer, task.id, {
        submission: policy({ policyNo: "P-ONCE-0003", periodEnd: "2026-13-01" }),
      }).catch((e: unknown) => e);
      expect((month13 as { fields: unknown }).fields).toEqual({ periodEnd: "“保险止期”应为有效日期（年-月-日）" });
      // Real days in years no record has: refused, not summed up to an invalid time.
      const farOff = await completeTask(insurer, task.id, {
        submission: policy({ policyNo: "P-ONCE-0003", periodEnd: "9999-12-31", issueDate: "0000-01-01" }),
      }).catch((e: unknown) => e);
      expect((farOff as { fields: unknown }).fields).toMatchObject({
        periodEnd: "“保险止期”应在2000年至2099年之间",
        issueDate: "“签单日期”应在2000年至2099年之间",
      });
      await expectNoPolicy(projectId, instance.id, task.id);
    });

    it("the service still refuses on its own what the register holds against a registration, all at once", async () => {
      const { insurer, projectId } = await startReview("一次报错 服务");
      const refusal = await registerDirectly(insurer, projectId, {
        permitNo: "KM-ONCE-0001",
        contractor: { creditCode: demoCreditCode("dev-dc") },
      });
      expect(refusal).toMatchObject({
        status: 422,
        fields: {
          permitNo: "报建号“KM-ONCE-0001”已登记，不能重复投保",
          "contractor.creditCode": "该信用代码登记的是建设单位“昆明滇池湾置业有限公司”，不是施工单位",
        },
      });
    });
  });
});
