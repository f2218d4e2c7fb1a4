import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { organisations, policies, policyShares, projects } from "@db/schema";
import type { Tx } from "@db/client";
import { SUM_TOLERANCE, roundedProduct, shownTotal, totalOf } from "~/shared/amounts";
import { isDistrictCode } from "~/shared/districts";
import { tooLongMessage } from "~/shared/field-rules";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { clock } from "../clock.server";
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from "../errors.server";
import { parseInput, requiredString } from "../validation.server";
import { findKnownParty, partyProblems, resolveParty, type PartyInput } from "./parties.server";
import { refreshProjectSearchText } from "./search-text.server";

// 保险审核: what the insurer records about a project and its policy, checked beyond what a form
// can check (uniqueness, parties, sums), and the regulator's confirmation or return.

const text = (label: string, max: number) =>
  requiredString(`请填写${label}`).trim().min(1, `请填写${label}`).max(max, tooLongMessage(label, max));
// Upper bounds keep every amount inside its column (db/schema/projects.ts) and say so in the
// form's words (forms/insurance-*.json): an overflow there would turn a typo into an incident.
const positive = (label: string, max: number, maxText: string) =>
  z
    .number({ error: `请填写${label}` })
    .positive(`${label}应大于0`)
    .max(max, `${label}不能超过${maxText}`);
const count = (label: string, max: number, maxText: string) =>
  z
    .number({ error: `请填写${label}` })
    .int(`${label}应为整数`)
    .min(1, `${label}至少为1`)
    .max(max, `${label}不能超过${maxText}`);
const day = (label: string) => z.iso.date({ error: `请填写${label}（年-月-日）` });
const party = z.object({
  creditCode: requiredString("请填写统一社会信用代码"),
  // An organisation not yet registered is registered under this name: as long as the register allows (100).
  name: z.string().trim().max(100, tooLongMessage("单位名称", 100)).optional().default(""),
});
const files = z.array(z.object({ id: z.uuid(), name: z.string(), size: z.number() })).default([]);

export const registrationSchema = z
  .object({
    permitNo: text("报建号", 40).regex(/^[A-Za-z0-9\-（）()〔〕[\]号第]+$/, "报建号只能包含字母、数字、连字符和括号"),
    name: text("项目名称", 100),
    communityName: text("小区名称", 100),
    district: requiredString("请选择区县").refine(isDistrictCode, "请选择昆明市的区县"),
    address: text("项目地址", 200),
    longitude: z.number().min(102.1, "经度不在昆明市范围内").max(103.7, "经度不在昆明市范围内").optional(),
    latitude: z.number().min(24.4, "纬度不在昆明市范围内").max(26.6, "纬度不在昆明市范围内").optional(),
    grossFloorArea: positive("建筑面积", 10_000_000, "1000万平方米"),
    buildingCount: count("楼栋数", 1000, "1000"),
    homeCount: count("户数", 100_000, "10万"),
    constructionCost: positive("建安造价", 1_000_000_000_000, "1万亿元"),
    startDate: day("开工日期"),
    plannedCompletionDate: day("计划竣工日期"),
    drawings: files,
    developer: party,
    contractor: party,
    supervisor: party,
    designer: party,
  })
  .refine((r) => r.plannedCompletionDate > r.startDate, { path: ["plannedCompletionDate"], message: "计划竣工日期应晚于开工日期" });
export type RegistrationInput = z.input<typeof registrationSchema>;

// A submission as far as the register checks read it: a pre-check sees it before the form's own
// rules have all passed, so every part may be missing or of another type.
const textIn = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
const rowsIn = (v: unknown) => (Array.isArray(v) ? (v as { creditCode?: unknown }[]) : []);
const partyIn = (v: unknown): Partial<PartyInput> => {
  const party = (v ?? {}) as { creditCode?: unknown; name?: unknown };
  return { creditCode: textIn(party.creditCode), name: textIn(party.name) };
};
const REGISTRATION_PARTIES = ["developer", "contractor", "supervisor", "designer"] as const;

/**
 * What the register holds against a registration, every field at once: a 报建号 another project
 * has, parties whose codes belong to another kind of organisation, or unknown ones without a name.
 * Read-only: the task's pre-check and the service itself ask it.
 */
export async function registrationProblems(tx: Tx, projectId: string, input: unknown): Promise<FieldErrors> {
  const submission = (input ?? {}) as Record<string, unknown>;
  const problems: FieldErrors = {};
  const permitNo = textIn(submission.permitNo);
  if (permitNo) {
    const [taken] = await tx
      .select({ id: projects.id })
      .from(projects)
      .where(and(eq(projects.permitNo, permitNo), ne(projects.id, projectId)));
    // Not which project: another insurer's project is outside this user's scope.
    if (taken) problems.permitNo = `报建号“${permitNo}”已登记，不能重复投保`;
  }
  for (const role of REGISTRATION_PARTIES) {
    const party = partyIn(submission[role]);
    // A missing code is the form's to report.
    if (party.creditCode) Object.assign(problems, await partyProblems(tx, role, party, role));
  }
  return problems;
}

const refuseAny = (problems: FieldErrors) => {
  if (Object.keys(problems).length) throw new ValidationError(problems);
};

/** Records (or, after a return, corrects) a project's registration data. `projectId` is the flow's business key. */
export async function recordRegistration(tx: Tx, actor: Actor, projectId: string, input: unknown): Promise<Record<string, string>> {
  const data = parseInput(registrationSchema, input);
  if (!actor.organisationId) throw new ValidationError({ form: "只有保险公司可以录入报建信息" });
  refuseAny(await registrationProblems(tx, projectId, data));
  const parties = {
    developer: await resolveParty(tx, actor, "developer", data.developer, "developer"),
    contractor: await resolveParty(tx, actor, "contractor", data.contractor, "contractor"),
    supervisor: await resolveParty(tx, actor, "supervisor", data.supervisor, "supervisor"),
    designer: await resolveParty(tx, actor, "designer", data.designer, "designer"),
  };
  const row = {
    permitNo: data.permitNo,
    name: data.name,
    communityName: data.communityName,
    district: data.district,
    address: data.address,
    longitude: data.longitude ?? null,
    latitude: data.latitude ?? null,
    grossFloorArea: String(data.grossFloorArea),
    buildingCount: data.buildingCount,
    homeCount: data.homeCount,
    constructionCost: String(data.constructionCost),
    startDate: data.startDate,
    plannedCompletionDate: data.plannedCompletionDate,
    drawings: data.drawings,
    developerId: parties.developer,
    contractorId: parties.contractor,
    supervisorId: parties.supervisor,
    designerId: parties.designer,
    updatedAt: clock.now(),
  };
  const [existing] = await tx
    .select({ id: projects.id, leadInsurerId: projects.leadInsurerId, status: projects.status })
    .from(projects)
    .where(eq(projects.id, projectId))
    .for("update");
  // Only the lead insurer corrects its own project, and only while it is being registered or was returned.
  if (existing && existing.leadInsurerId !== actor.organisationId) throw new NotFoundError("项目不存在，或不在您的办理范围内");
  if (existing && existing.status !== "draft" && existing.status !== "returned")
    throw new ConflictError("该项目已提交住建局确认或已确认投保，不能再修改报建信息");
  if (existing) {
    await tx.update(projects).set(row).where(eq(projects.id, projectId));
  } else {
    await tx.insert(projects).values({
      id: projectId,
      ...row,
      leadInsurerId: actor.organisationId,
      createdBy: actor.userId,
      status: "draft",
      createdAt: clock.now(),
    });
  }
  await refreshProjectSearchText(tx, projectId);
  await recordAudit(tx, actor, {
    action: existing ? "project.update" : "project.create",
    subjectType: "project",
    subjectId: projectId,
    after: { ...data },
  });
  // The lead insurer is the project's insurer party: the policy and any correction go to it alone.
  return { ...parties, insurer: existing?.leadInsurerId ?? actor.organisationId };
}

const share = z.object({
  creditCode: requiredString("请填写统一社会信用代码"),
  share: z.number({ error: "请填写份额" }).gt(0, "份额应大于0").max(100, "份额不能超过100%"),
});

export const policySchema = z
  .object({
    policyNo: text("保单号", 60),
    insuranceType: text("险种", 60),
    coverage: z
      .array(
        z.object({
          part: text("保险责任部位", 40),
          years: z.number().int("保险期限应为整年").min(1, "保险期限至少1年").max(30, "保险期限不能超过30年"),
        }),
      )
      .min(1, "请至少填写一项保险责任"),
    periodStart: day("保险起期"),
    periodEnd: day("保险止期"),
    sumInsured: positive("保险金额", 1_000_000_000_000, "1万亿元"),
    ratePercent: z.number({ error: "请填写费率" }).gt(0, "费率应大于0").max(10, "费率不能超过10%"),
    premium: positive("保费", 100_000_000_000, "1000亿元"),
    issueDate: day("签单日期"),
    leadShare: z.number({ error: "请填写主承保份额" }).gt(0, "主承保份额应大于0").max(100, "份额不能超过100%"),
    coinsurers: z.array(share).default([]),
    reinsurers: z.array(share).default([]),
    tisCreditCode: requiredString("请填写风险管理机构的统一社会信用代码"),
    quoteLetter: files,
    coinsuranceAgreement: files,
    contract: files,
    policyScan: files,
  })
  .superRefine((p, ctx) => {
    // The form's rules (afterField, productOf, listSum in forms/insurance-policy.json) say the same:
    // this is the service's own defence, with the same arithmetic and messages.
    if (p.periodEnd <= p.periodStart) ctx.addIssue({ code: "custom", path: ["periodEnd"], message: "保险止期应晚于保险起期" });
    const expected = roundedProduct([p.sumInsured, p.ratePercent], 100);
    if (Math.abs(expected - p.premium) > 1) {
      ctx.addIssue({ code: "custom", path: ["premium"], message: `保费应等于保险金额×费率，即 ${expected.toFixed(2)} 元` });
    }
    const total = totalOf([p.leadShare]) + totalOf(p.coinsurers.map((c) => c.share));
    if (Math.abs(total - 100) > SUM_TOLERANCE)
      ctx.addIssue({ code: "custom", path: ["coinsurers"], message: `主承保与共保份额合计应为100%，当前为${shownTotal(total)}%` });
    const reinsured = totalOf(p.reinsurers.map((c) => c.share));
    if (reinsured > 100 + SUM_TOLERANCE)
      ctx.addIssue({ code: "custom", path: ["reinsurers"], message: `再保份额合计不能超过100%，当前为${shownTotal(reinsured)}%` });
  });
export type PolicyInput = z.input<typeof policySchema>;

/**
 * What the register holds against a policy, every field at once: a 保单号 another project uses,
 * a TIS, coinsurer or reinsurer the platform does not have, the lead insurer or one company twice
 * among the coinsurers (on the row that repeats it). With the parties' ids when nothing is wrong.
 */
async function checkPolicyParties(tx: Tx, projectId: string, input: unknown) {
  const submission = (input ?? {}) as Record<string, unknown>;
  const problems: FieldErrors = {};
  const policyNo = textIn(submission.policyNo);
  if (policyNo) {
    const [taken] = await tx
      .select({ projectId: policies.projectId })
      .from(policies)
      .where(and(eq(policies.policyNo, policyNo), ne(policies.projectId, projectId)));
    if (taken) problems.policyNo = `保单号“${policyNo}”已被其他项目使用`;
  }
  const known = async (type: "tis" | "insurer" | "reinsurer", code: unknown, field: string) => {
    // A missing code is the form's to report; an empty or malformed one is refused here too.
    if (typeof code !== "string") return undefined;
    const found = await findKnownParty(tx, type, code);
    if ("id" in found) return found.id;
    problems[field] = found.problem;
    return undefined;
  };
  const tis = await known("tis", submission.tisCreditCode, "tisCreditCode");
  const coinsurers: (string | undefined)[] = [];
  for (const [i, row] of rowsIn(submission.coinsurers).entries())
    coinsurers.push(await known("insurer", row?.creditCode, `coinsurers.${i}.creditCode`));
  const reinsurers: (string | undefined)[] = [];
  for (const [i, row] of rowsIn(submission.reinsurers).entries())
    reinsurers.push(await known("reinsurer", row?.creditCode, `reinsurers.${i}.creditCode`));
  const [project] = await tx.select({ leadInsurerId: projects.leadInsurerId }).from(projects).where(eq(projects.id, projectId));
  coinsurers.forEach((id, i) => {
    if (!id) return;
    const field = `coinsurers.${i}.creditCode`;
    if (id === project?.leadInsurerId) problems[field] = "主承保公司不能同时作为共保公司";
    else if (coinsurers.indexOf(id) < i) problems[field] = "同一家共保公司只能填写一次";
  });
  return { problems, tis, coinsurers, reinsurers };
}

/** What the register holds against a policy, by field (read-only: the task's pre-check asks it). */
export async function policyProblems(tx: Tx, projectId: string, input: unknown): Promise<FieldErrors> {
  return (await checkPolicyParties(tx, projectId, input)).problems;
}

/** Records the policy of a registered project; the project then awaits the regulator's confirmation. */
export async function recordPolicy(tx: Tx, actor: Actor, projectId: string, input: unknown): Promise<Record<string, string>> {
  const data = parseInput(policySchema, input);
  const [project] = await tx.select().from(projects).where(eq(projects.id, projectId));
  if (!project) throw new NotFoundError("项目不存在");
  const checked = await checkPolicyParties(tx, projectId, data);
  refuseAny(checked.problems);
  const tis = checked.tis!;
  const coinsurers = checked.coinsurers as string[];
  const reinsurers = checked.reinsurers as string[];
  const values = {
    projectId,
    policyNo: data.policyNo,
    insuranceType: data.insuranceType,
    coverage: data.coverage,
    periodStart: data.periodStart,
    periodEnd: data.periodEnd,
    sumInsured: String(data.sumInsured),
    rate: String(data.ratePercent / 100),
    premium: String(data.premium),
    issueDate: data.issueDate,
    documents: {
      quoteLetter: data.quoteLetter,
      coinsuranceAgreement: data.coinsuranceAgreement,
      contract: data.contract,
      policyScan: data.policyScan,
    },
    updatedAt: clock.now(),
  };
  const [policy] = await tx
    .insert(policies)
    .values({ ...values, createdAt: clock.now() })
    .onConflictDoUpdate({ target: policies.projectId, set: values })
    .returning({ id: policies.id });
  await tx.delete(policyShares).where(eq(policyShares.policyId, policy.id));
  await tx.insert(policyShares).values([
    { policyId: policy.id, projectId, organisationId: project.leadInsurerId, kind: "insurer", isLead: true, share: String(data.leadShare) },
    ...data.coinsurers.map((c, i) => ({
      policyId: policy.id,
      projectId,
      organisationId: coinsurers[i],
      kind: "insurer" as const,
      share: String(c.share),
    })),
    ...data.reinsurers.map((c, i) => ({
      policyId: policy.id,
      projectId,
      organisationId: reinsurers[i],
      kind: "reinsurer" as const,
      share: String(c.share),
    })),
  ]);
  await tx
    .update(projects)
    .set({ tisId: tis, status: "awaiting_confirmation", returnReason: null, updatedAt: clock.now() })
    .where(eq(projects.id, projectId));
  await refreshProjectSearchText(tx, projectId);
  await recordAudit(tx, actor, { action: "policy.record", subjectType: "project", subjectId: projectId, after: { ...data } });
  return { tis };
}

/** The regulator's decision: the project is insured (已确认投保), or returned to the insurer with reasons. */
export async function decideInsurance(
  tx: Tx,
  actor: Actor,
  projectId: string,
  decision: { confirmed: boolean; reason?: string },
): Promise<void> {
  const [project] = await tx.select({ status: projects.status }).from(projects).where(eq(projects.id, projectId));
  if (!project) throw new NotFoundError("项目不存在");
  if (decision.confirmed) {
    await tx
      .update(projects)
      // Insured: its risk management begins with the TIS's briefing and plan.
      .set({
        status: "insured",
        stage: "planning",
        confirmedAt: clock.now(),
        confirmedBy: actor.userId,
        returnReason: null,
        updatedAt: clock.now(),
      })
      .where(eq(projects.id, projectId));
  } else {
    await tx
      .update(projects)
      .set({ status: "returned", returnReason: decision.reason ?? null, updatedAt: clock.now() })
      .where(eq(projects.id, projectId));
  }
  await recordAudit(tx, actor, {
    action: decision.confirmed ? "project.confirm" : "project.return",
    subjectType: "project",
    subjectId: projectId,
    after: decision,
  });
}

/** The city's regulator (昆明市住房和城乡建设局): the party that confirms every project. */
export async function regulatorOrganisationId(tx: Tx): Promise<string | null> {
  const [row] = await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(and(eq(organisations.type, "regulator"), eq(organisations.status, "active")))
    .limit(1);
  return row?.id ?? null;
}
