import { readFileSync } from "node:fs";
import { createForm } from "@formily/core";
import { describe, expect, it } from "vitest";
import { formSchemaProblems } from "~/server/forms/check.server";
import type { FormSchema } from "~/server/forms/registry.server";
import { validateSubmissionAgainst } from "~/server/forms/validate.server";
import { type ValidationError } from "~/server/errors.server";
import { policySchema, registrationSchema } from "~/server/projects/insurance.server";
import { parseInput } from "~/server/validation.server";
import { fieldRules } from "~/shared/field-rules";
import { fieldsReadBy, valueAt } from "~/shared/form-rules";
import { policy, registration } from "../support/insurance";
import { inspectionSubmission, riskEventInput } from "../support/risk-submissions";

// The cross-field rules of the insurance forms are data in their schemas (afterField, productOf,
// listSum): the page's Formily form and the server's validation run the same registered functions,
// and the services' zod schemas, their own defence, say the same thing.

const form = (key: string) => JSON.parse(readFileSync(`forms/${key}.json`, "utf8")) as FormSchema;
const registrationForm = form("insurance-registration");
const policyForm = form("insurance-policy");
const inspectionForm = form("risk-inspection");
const completionForm = form("risk-completion");
type Node = { properties?: Record<string, Node>; "x-validator"?: unknown };
const basics = (schema: FormSchema) => (schema.properties.basics as Node).properties!;
const validatorOf = (schema: FormSchema, name: string) => (basics(schema)[name] ?? (schema.properties[name] as Node))["x-validator"];

/** What the service's zod schema says of a submission, by field. */
function zodErrors(schema: Parameters<typeof parseInput>[0], input: unknown): Record<string, string> {
  try {
    parseInput(schema, input);
    return {};
  } catch (error) {
    return (error as ValidationError).fields ?? {};
  }
}

describe("cross-field rules on the server (validateSubmissionAgainst)", () => {
  it("a completion date not after the start date is refused on the completion date", async () => {
    const { errors } = await validateSubmissionAgainst(registrationForm, registration({ plannedCompletionDate: "2026-03-01" }));
    expect(errors).toEqual({ plannedCompletionDate: "计划竣工日期应晚于开工日期" });
    expect((await validateSubmissionAgainst(registrationForm, registration())).errors).toEqual({});
  });

  it("judges the premium, the period and both share totals of a policy at once, with the figures", async () => {
    const { errors } = await validateSubmissionAgainst(
      policyForm,
      policy({
        periodEnd: "2028-07-01",
        premium: 4000000,
        leadShare: 50,
        reinsurers: [
          { creditCode: "91530100MA6X6Q9R8X", share: 70 },
          { creditCode: "91530100MA6X6Q9R8X", share: 40.5 },
        ],
      }),
    );
    expect(errors).toMatchObject({
      periodEnd: "保险止期应晚于保险起期",
      premium: "保费应等于保险金额×费率，即 4680000.00 元",
      coinsurers: "主承保与共保份额合计应为100%，当前为90%",
      reinsurers: "再保份额合计不能超过100%，当前为110.5%",
    });
  });

  it("a premium within one yuan of sum insured × rate passes; shares adding up in decimals pass", async () => {
    const { errors } = await validateSubmissionAgainst(
      policyForm,
      policy({
        premium: 4680000.9,
        leadShare: 33.33,
        coinsurers: [
          { creditCode: "x", share: 33.33 },
          { creditCode: "y", share: 33.34 },
        ],
      }),
    );
    expect(errors.premium).toBeUndefined();
    expect(errors.coinsurers).toBeUndefined();
  });

  it("a total of rows that are not all filled in is left to the rows' own messages", async () => {
    const { errors } = await validateSubmissionAgainst(policyForm, policy({ leadShare: 50, coinsurers: [{ creditCode: "x" }] }));
    expect(errors["coinsurers.0.share"]).toBe("请填写“份额（%）”");
    expect(errors.coinsurers).toBeUndefined();
  });

  it("a risk event due before the inspection is refused on its deadline by the form, as is a re-inspection agreed more than five years on", async () => {
    const early = inspectionSubmission([riskEventInput(), riskEventInput({ deadline: "2026-11-19" })], { inspectedOn: "2026-11-20" });
    expect((await validateSubmissionAgainst(inspectionForm, early)).errors).toEqual({ "events.1.deadline": "整改期限不能早于检查日期" });
    const late = { acceptedOn: "2026-11-20", agreedReinspectionOn: "2031-11-21", documents: [{ id: "x", name: "备案表.pdf", size: 1 }] };
    expect((await validateSubmissionAgainst(completionForm, late)).errors).toEqual({
      agreedReinspectionOn: "约定复查日期应在竣工验收后5年以内",
    });
    expect((await validateSubmissionAgainst(completionForm, { ...late, agreedReinspectionOn: "2031-11-20" })).errors).toEqual({});
  });

  it("a date against the flow's facts is judged by the facts the server gives, never by what the submission says they are", async () => {
    const survey = form("claim-survey");
    const early = { surveyedOn: "2026-11-19", $flow: { reportedOn: "2026-11-01" } };
    expect((await validateSubmissionAgainst(survey, early, { reportedOn: "2026-11-20" })).errors).toMatchObject({
      surveyedOn: "查勘日期不能早于报案日期（2026-11-20）",
    });
    expect((await validateSubmissionAgainst(survey, early, { reportedOn: "2026-11-19" })).errors.surveyedOn).toBeUndefined();
  });

  it("the service's zod schemas say the same, word for word", async () => {
    const bad = policy({ periodEnd: "2028-07-01", premium: 4000000, leadShare: 50, reinsurers: [{ creditCode: "x", share: 120 }] });
    const fromForm = (await validateSubmissionAgainst(policyForm, bad)).errors;
    const fromService = zodErrors(policySchema, bad);
    for (const field of ["periodEnd", "premium", "coinsurers"]) expect(fromService[field], field).toBe(fromForm[field]);
    const late = registration({ plannedCompletionDate: "2026-01-01" });
    expect(zodErrors(registrationSchema, late).plannedCompletionDate).toBe(
      (await validateSubmissionAgainst(registrationForm, late)).errors.plannedCompletionDate,
    );
  });
});

describe("the same rules in a Formily form, as the page runs them", () => {
  // A field's validate() rejects when it finds errors; what matters is what the field then shows.
  const judged = (field: { validate(): Promise<unknown>; selfErrors: string[] }) =>
    field.validate().then(
      () => field.selfErrors,
      () => field.selfErrors,
    );

  it("a date against the flow's facts reads them beside the form's values, as the task page puts them", async () => {
    const page = createForm({ values: { $flow: { foundOn: "2026-11-20" }, rectifiedOn: "2026-11-19" } });
    const rectifiedOn = page.createField({
      name: "rectifiedOn",
      validator: (form("risk-rectification").properties.rectifiedOn as Node)["x-validator"] as never,
    });
    expect(await judged(rectifiedOn)).toEqual(["整改完成日期不能早于检查日期（2026-11-20）"]);
    page.setValuesIn("rectifiedOn", "2026-11-20");
    expect(await judged(rectifiedOn)).toEqual([]);
  });

  it("the premium is judged against the sum insured and rate the form holds now", async () => {
    const page = createForm({ values: { sumInsured: 312000000, ratePercent: 1.5, premium: 4000000 } });
    page.createField({ name: "sumInsured" });
    page.createField({ name: "ratePercent" });
    const premium = page.createField({ name: "premium", validator: validatorOf(policyForm, "premium") as never });
    expect(await judged(premium)).toEqual(["保费应等于保险金额×费率，即 4680000.00 元"]);
    page.setValuesIn("ratePercent", 4000000 / 3120000);
    expect(await judged(premium)).toEqual([]);
  });

  it("the share total reads the rows and the lead share, and clears once they add up", async () => {
    const page = createForm({ values: { leadShare: 70, coinsurers: [{ creditCode: "x", share: 20 }] } });
    page.createField({ name: "leadShare" });
    const coinsurers = page.createArrayField({ name: "coinsurers", validator: validatorOf(policyForm, "coinsurers") as never });
    expect(await judged(coinsurers)).toEqual(["主承保与共保份额合计应为100%，当前为90%"]);
    page.setValuesIn("coinsurers.0.share", 30);
    expect(await judged(coinsurers)).toEqual([]);
    page.setValuesIn("leadShare", 60);
    expect(await judged(coinsurers)).toEqual(["主承保与共保份额合计应为100%，当前为90%"]);
  });

  it("a risk event's deadline is judged against the inspection date the form holds now", async () => {
    const deadlineNode = valueAt(inspectionForm.properties, "events.items.properties.row.properties.deadline") as Node;
    const page = createForm({ values: { inspectedOn: "2026-11-20", events: [{ deadline: "2026-11-19" }] } });
    page.createField({ name: "inspectedOn" });
    const deadline = page.createField({ name: "events.0.deadline", validator: fieldRules(deadlineNode) as never });
    expect(await judged(deadline)).toEqual(["整改期限不能早于检查日期"]);
    page.setValuesIn("inspectedOn", "2026-11-18");
    expect(await judged(deadline)).toEqual([]);
    expect(fieldsReadBy(deadline.validator)).toEqual(["inspectedOn"]);
  });

  it("a field's own keywords are judged in the server's words: a file field asks for an upload, text over its limit names it", async () => {
    const photosNode = form("risk-rectification").properties.photos as Node;
    const findingsNode = inspectionForm.properties.findings as Node;
    const page = createForm({ values: { photos: [], findings: "渗".repeat(4001) } });
    const photos = page.createField({ name: "photos", validator: fieldRules(photosNode) as never });
    const findings = page.createField({ name: "findings", validator: fieldRules(findingsNode) as never });
    expect(await judged(photos)).toEqual(["请上传“整改后照片”"]);
    expect(await judged(findings)).toEqual(["检查情况不能超过4000个字"]);
    const server = await validateSubmissionAgainst(form("risk-rectification"), { rectifiedOn: "2026-11-20", measures: "补设", photos: [] });
    expect(server.errors).toEqual({ photos: "请上传“整改后照片”" });
  });

  it("each rule names the fields it reads, so the page knows what to judge again", () => {
    expect(fieldsReadBy(validatorOf(policyForm, "premium"))).toEqual(["sumInsured", "ratePercent"]);
    expect(fieldsReadBy(validatorOf(policyForm, "coinsurers"))).toEqual(["leadShare"]);
    expect(fieldsReadBy(validatorOf(policyForm, "periodEnd"))).toEqual(["periodStart"]);
    expect(fieldsReadBy(validatorOf(registrationForm, "plannedCompletionDate"))).toEqual(["startDate"]);
  });
});

describe("deploying a form: rules and server checks by name only", () => {
  const withValidator = (validator: unknown, extra: Record<string, unknown> = {}) => ({
    type: "object",
    ...extra,
    properties: { amount: { type: "number", title: "金额", "x-component": "NumberPicker", "x-validator": validator } },
  });

  it("accepts the platform's rules and Formily's own", () => {
    expect(
      formSchemaProblems(withValidator([{ maximum: 3 }, { format: "integer" }, "email", { productOf: { fields: ["a", "b"] } }])),
    ).toEqual({});
  });

  it("refuses a rule or format it does not have, and a rule's malformed parameters", () => {
    expect(formSchemaProblems(withValidator([{ integer: true }]))).toEqual({ amount: "未知的校验规则“integer”" });
    expect(formSchemaProblems(withValidator("evalScript"))).toEqual({ amount: "未知的校验格式“evalScript”" });
    expect(formSchemaProblems(withValidator({ validator: "return 1" }))).toEqual({ amount: "未知的校验规则“validator”" });
    expect(formSchemaProblems(withValidator({ constructor: true }))).toEqual({ amount: "未知的校验规则“constructor”" });
    expect(formSchemaProblems(withValidator({ listSum: { item: "share" } }))).toEqual({ amount: "校验规则“listSum”的参数不正确" });
    expect(formSchemaProblems(withValidator({ afterField: "a; b" }))).toEqual({ amount: "校验规则“afterField”的参数不正确" });
  });

  it("refuses a server check the platform has not registered", () => {
    expect(formSchemaProblems(withValidator({ maximum: 1 }, { "x-server-checks": ["insurance.policy"] }))).toEqual({});
    expect(formSchemaProblems(withValidator({ maximum: 1 }, { "x-server-checks": ["drop.tables"] }))).toEqual({
      schema: "未知的服务端核对“drop.tables”",
    });
  });
});
