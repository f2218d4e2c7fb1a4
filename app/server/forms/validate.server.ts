import { getValidateFormats, getValidateLocale, validate } from "@formily/validator";
import { fieldRules, textLength, tooLongMessage } from "~/shared/field-rules";
import { matchesFormat, matchesPattern, PATTERN_VALUE_MAX } from "~/shared/form-pattern";
import { FLOW_FACTS } from "~/shared/form-rules";
import { isCalendarDate, isRecordDay, outsideRecordYears } from "~/shared/time";
import { clock } from "../clock.server";
import type { FieldErrors } from "../errors.server";
import type { FormSchema } from "./registry.server";

interface PropertySchema {
  type?: string;
  "x-component"?: string;
  title?: string;
  required?: boolean;
  maxLength?: number;
  pattern?: string;
  enum?: (string | number | boolean | { value: unknown })[];
  properties?: Record<string, PropertySchema>;
  items?: PropertySchema;
  "x-validator"?: unknown;
}

export interface FormValidation {
  /** The submission reduced to the fields the form declares (anything else is dropped). */
  values: Record<string, unknown>;
  errors: FieldErrors;
  /** Paths of the file fields (x-component "Attachments") that hold uploads to link. */
  attachmentFields: string[];
}

const TYPE_CHECKS: Record<string, { ok: (v: unknown) => boolean; noun: string }> = {
  string: { ok: (v) => typeof v === "string", noun: "文字" },
  number: { ok: (v) => typeof v === "number" && Number.isFinite(v), noun: "数字" },
  boolean: { ok: (v) => typeof v === "boolean", noun: "是或否" },
  array: { ok: (v) => Array.isArray(v), noun: "列表" },
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isBlank = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/**
 * The rules with each `pattern` and each built-in `format` (money, url…) judged by RE2JS (linear in
 * the text, app/shared/form-pattern.ts) instead of Formily's `new RegExp`: neither an
 * administrator's expression nor a format backtracks on the server. Whether a rule names one at all.
 */
function linearPatterns(rules: unknown[]): { rules: unknown[]; patterned: boolean } {
  let patterned = false;
  const out = rules.flatMap((given) => {
    // "email" alone is Formily's shorthand for { format: "email" }.
    const rule = typeof given === "string" && getValidateFormats(given) ? { format: given } : given;
    const format = isRecord(rule) && typeof rule.format === "string" ? (getValidateFormats(rule.format) as RegExp | undefined) : undefined;
    if (!isRecord(rule) || (typeof rule.pattern !== "string" && !format)) return [rule];
    patterned = true;
    const { pattern, format: name, ...rest } = rule;
    const others = Object.keys(rest).filter((k) => k !== "message" && k !== "triggerType");
    const matches = (value: unknown) =>
      (typeof pattern !== "string" || matchesPattern(pattern, value)) && (!format || matchesFormat(name as string, format, value));
    // The page's message: the rule's own, or Formily's for the format.
    const message = rest.message ?? (format && typeof pattern !== "string" ? getValidateLocale(name as string) : undefined);
    const judged = { validator: (value: unknown) => isBlank(value) || matches(value), message };
    return others.length ? [rest, judged] : [judged];
  });
  return { rules: out, patterned };
}

// Only spaces is nothing: a required 部位 or 退回原因 of "   " is missing, not given.
const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/**
 * Validates a submission against the same Formily schema the page renders: required fields,
 * types, enums, lengths (maxLength) and the schema's x-validator rules (ranges, patterns,
 * formats), headless, with the page's messages (fieldRules).
 */
export async function validateSubmissionAgainst(
  schema: FormSchema,
  submission: Record<string, unknown>,
  /** What the flow's business object holds, for the rules that compare with it ("$flow.reportedOn"). */
  facts: Record<string, string | number> = {},
): Promise<FormValidation> {
  // Formily's own rule engine, field by field, without a reactive form (which cost more than the
  // whole workflow step): the same rules, messages and shared rules as the page.
  const checks: { path: string; value: unknown; rules: unknown[] }[] = [];
  const values: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  const attachmentFields: string[] = [];

  const visit = (
    properties: Record<string, PropertySchema>,
    input: Record<string, unknown>,
    out: Record<string, unknown>,
    prefix: string,
  ) => {
    for (const [name, property] of Object.entries(properties)) {
      const path = prefix + name;
      const value = input?.[name];
      const label = property.title ?? name;
      if (property.type === "object" && property.properties) {
        const nested: Record<string, unknown> = {};
        out[name] = nested;
        visit(property.properties, (value as Record<string, unknown>) ?? {}, nested, `${path}.`);
        continue;
      }
      // Layout containers (grids, rows) hold fields of the same level.
      if (property.type === "void") {
        if (property.properties) visit(property.properties, input, out, prefix);
        continue;
      }
      // A list of objects: each item is validated like a small form of its own.
      if (property.type === "array" && property.items?.properties && Array.isArray(value)) {
        const list: Record<string, unknown>[] = [];
        out[name] = list;
        value.forEach((item, i) => {
          const cleaned: Record<string, unknown> = {};
          list.push(cleaned);
          visit(property.items!.properties!, (item as Record<string, unknown>) ?? {}, cleaned, `${path}.${i}.`);
        });
        if (property.required && value.length === 0) errors[path] = `请至少填写一项“${label}”`;
        // The list's own rules (totals over its rows) judge the rows as kept.
        if (property["x-validator"] !== undefined)
          checks.push({ path, value: list, rules: linearPatterns([property["x-validator"]].flat()).rules });
        continue;
      }
      if (!isEmpty(value)) {
        const check = property.type ? TYPE_CHECKS[property.type] : undefined;
        if (check && !check.ok(value)) {
          errors[path] = `“${label}”应为${check.noun}`;
          continue;
        }
        // A date field holds a real day: the rules comparing dates then never see one that is not.
        if (property["x-component"] === "DatePicker" && !isCalendarDate(value)) {
          errors[path] = `“${label}”应为有效日期（年-月-日）`;
          continue;
        }
        // A year no record can have (0000, 9999) would only break the sums over days made of it.
        if (property["x-component"] === "DatePicker" && !isRecordDay(value)) {
          errors[path] = outsideRecordYears(`“${label}”`);
          continue;
        }
        const options = property.enum?.map((o) => (typeof o === "object" && o !== null ? o.value : o));
        if (options && !(Array.isArray(value) ? value.every((v) => options.includes(v)) : options.includes(value))) {
          errors[path] = `“${label}”的取值不在可选范围内`;
          continue;
        }
        out[name] = value;
        if (property["x-component"] === "Attachments") attachmentFields.push(path);
      }
      const { rules, patterned } = linearPatterns(fieldRules(property, label));
      // A pattern judges text of bounded length (the field's maxLength may allow more).
      if (patterned && (typeof value === "string" || typeof value === "number") && textLength(String(value)) > PATTERN_VALUE_MAX) {
        errors[path] = tooLongMessage(label, PATTERN_VALUE_MAX);
        continue;
      }
      if (rules.length) checks.push({ path, value: isEmpty(value) ? undefined : value, rules });
    }
  };
  visit(schema.properties as Record<string, PropertySchema>, submission, values, "");

  // Rules that read other fields (requiredWhen, afterField, productOf, listSum) see the whole
  // submission, nested objects and lists included, as the page's form holds it, and the flow's facts
  // as the page has them beside its values (never what the submission says they are).
  const context = { form: { values: { ...values, [FLOW_FACTS]: facts } }, today: clock.today() };
  const results = await Promise.all(checks.map((c) => validate(c.value, c.rules as never, { context })));
  checks.forEach((c, i) => {
    const message = results[i].error?.[0];
    if (!errors[c.path] && message) errors[c.path] = message;
  });
  return { values, errors, attachmentFields };
}
