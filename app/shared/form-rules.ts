import { Schema } from "@formily/json-schema";
import { registerValidateRules, setValidateLanguage } from "@formily/validator";
import { SUM_TOLERANCE, roundedProduct, shownTotal, totalOf } from "./amounts";
import { creditCodeProblem } from "./credit-code";
import { isCalendarDate, shiftDay, todayHere } from "./time";

// Validation rules a form schema may name in x-validator, beyond Formily's own. They are plain
// functions of this module, registered the same way in the browser and on the server, so a
// submission is judged by the same rules on both sides. A schema can only name them and give
// their parameters, never add code. Rules that read other fields name them by their path in the
// form's values ("leadShare", "developer.creditCode"); the page re-checks them when those change.
// A path under "$flow" names a fact of the flow's business object instead ("$flow.reportedOn": the
// claim's report date): the server gives the same facts to the page and to the submission's
// validation, so a rule against what the flow holds speaks as one types too (docs/decisions/020).

/** Where the flow's facts sit beside a form's values, for the rules to read. */
export const FLOW_FACTS = "$flow";
/** Nothing given: no value, only spaces, or an empty list. */
const isEmpty = (v: unknown) =>
  v === undefined || v === null || (typeof v === "string" && v.trim() === "") || (Array.isArray(v) && v.length === 0);
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const PATH_PATTERN = /^[A-Za-z_$][\w$]*(\.[\w$]+)*$/;
const isPath = (v: unknown): v is string => typeof v === "string" && PATH_PATTERN.test(v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

interface RuleContext {
  form?: { values: Record<string, unknown> };
  /** Today on the platform's clock (the server gives it; the browser uses its own day in Beijing). */
  today?: string;
}

/** The value at a dotted path of the form's values (list rows by index). */
export function valueAt(values: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (isRecord(node) || Array.isArray(node) ? (node as never)[key] : undefined), values);
}

/** A message of a schema with its {placeholders} filled in. */
const filled = (message: string, values: Record<string, string | number>) =>
  message.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));

type Validate = (value: unknown, rule: Record<string, unknown> & { message?: string }, ctx: RuleContext) => string;

/** A JSON Schema fragment (draft-07) describing a rule's parameter, for the form editor. */
type ParameterSchema = Record<string, unknown>;

interface SharedRule {
  /** What the rule asks, in Chinese, for the form editor. */
  label: string;
  /** Its parameter's shape, for the form editor's completion and marks (reads() is the judge). */
  parameter: ParameterSchema;
  /** The other fields the rule reads, by path; undefined when the parameter is malformed. */
  reads(param: unknown): string[] | undefined;
  validate: Validate;
}

/** A rule ordering a value against another field's: dates as calendar dates, numbers as numbers. */
const PATH: ParameterSchema = {
  type: "string",
  pattern: PATH_PATTERN.source,
  description: "另一字段在表单数据中的路径（如 startDate、developer.creditCode），或流程事实 $flow.reportedOn",
};
const NUMBER: ParameterSchema = { type: "number" };

function comparedWithField(
  name: string,
  holds: (value: string | number, other: string | number) => boolean,
  fallback: string,
  label: string,
): SharedRule {
  return {
    label,
    parameter: PATH,
    reads: (p) => (isPath(p) ? [p] : undefined),
    validate(value, rule, ctx) {
      const other = valueAt(ctx?.form?.values, rule[name] as string);
      if (isEmpty(value) || isEmpty(other) || typeof value !== typeof other) return "";
      // A date that is no date has its own message; an order of it would only mislead.
      if (typeof value === "string" && !(isCalendarDate(value) && isCalendarDate(other as string))) return "";
      if (holds(value as string | number, other as string | number)) return "";
      // "{other}" in the message is the value compared with (a fact the user cannot see in the form).
      return filled(rule.message ?? fallback, { other: other as string | number });
    },
  };
}

const SHARED_RULES: Record<string, SharedRule> = {
  /** { "requiredWhen": { "field": "decision", "equals": "return" }, "message": "…" } (or "in": ["return", "terminate"]) */
  requiredWhen: {
    label: "另一字段为某值时必填",
    parameter: {
      type: "object",
      required: ["field"],
      properties: {
        field: PATH,
        equals: { description: "该字段等于此值时必填" },
        in: { type: "array", description: "该字段为其中之一时必填" },
      },
    },
    reads: (p) => (isRecord(p) && isPath(p.field) ? [p.field] : undefined),
    validate(value, rule, ctx) {
      const condition = rule.requiredWhen as { field: string; equals?: unknown; in?: unknown };
      const other = condition?.field ? valueAt(ctx?.form?.values, condition.field) : undefined;
      const applies = Array.isArray(condition?.in) ? condition.in.includes(other) : other === condition?.equals;
      return applies && isEmpty(value) ? (rule.message ?? "此项为必填") : "";
    },
  },

  /** { "creditCode": true }: a valid 统一社会信用代码 */
  creditCode: {
    label: "有效的统一社会信用代码",
    parameter: { type: "boolean" },
    reads: (p) => (typeof p === "boolean" ? [] : undefined),
    validate(value, rule) {
      if (isEmpty(value) || !rule.creditCode) return "";
      return creditCodeProblem(String(value)) ?? "";
    },
  },

  /** { "afterField": "startDate", "message": "计划竣工日期应晚于开工日期" }: a later date (or larger number) than another field's */
  afterField: comparedWithField("afterField", (value, other) => value > other, "应晚于前一日期", "晚于（大于）另一字段"),

  /**
   * { "notBeforeField": "startedOn", "message": "完工日期不能早于开工日期" }: the same or a later date (or number) than another field's;
   * { "notBeforeField": "$flow.reportedOn", "message": "查勘日期不能早于报案日期（{other}）" }: than a fact of the flow
   */
  notBeforeField: comparedWithField("notBeforeField", (value, other) => value >= other, "不能早于前一日期", "不早于（不小于）另一字段"),

  /** { "notAfterField": "cost", "message": "赔付金额不能超过维修费用" }: the same or a smaller number (or earlier date) than another field's */
  notAfterField: comparedWithField("notAfterField", (value, other) => value <= other, "不能超过前一项", "不晚于（不大于）另一字段"),

  /**
   * { "productOf": { "fields": ["sumInsured", "ratePercent"], "divisor": 100, "tolerance": 1 },
   *   "message": "保费应等于保险金额×费率，即 {expected} 元" }: the product of other fields, within a tolerance
   */
  productOf: {
    label: "等于其他字段之积",
    parameter: {
      type: "object",
      required: ["fields"],
      properties: {
        fields: { type: "array", minItems: 1, items: PATH, description: "相乘的字段（路径）" },
        divisor: { type: "number", description: "除数，大于0（如费率为百分数时为 100）" },
        tolerance: { type: "number", minimum: 0, description: "允许的误差" },
      },
    },
    reads: (p) =>
      isRecord(p) &&
      Array.isArray(p.fields) &&
      p.fields.length > 0 &&
      p.fields.every(isPath) &&
      (p.divisor === undefined || (isNumber(p.divisor) && p.divisor > 0)) &&
      (p.tolerance === undefined || (isNumber(p.tolerance) && p.tolerance >= 0))
        ? (p.fields as string[])
        : undefined,
    validate(value, rule, ctx) {
      const { fields, divisor, tolerance = 0 } = rule.productOf as { fields: string[]; divisor?: number; tolerance?: number };
      const factors = fields.map((f) => valueAt(ctx?.form?.values, f));
      if (!isNumber(value) || !factors.every(isNumber)) return "";
      const expected = roundedProduct(factors, divisor);
      if (Math.abs(expected - value) <= tolerance) return "";
      return filled(rule.message ?? "应为 {expected}", { expected: expected.toFixed(2) });
    },
  },

  /**
   * { "withinYearsAfter": { "field": "acceptedOn", "years": 5 }, "message": "约定复查日期应在竣工验收后5年以内" }:
   * a date at most that many years after another field's date
   */
  withinYearsAfter: {
    label: "在另一日期后若干年以内",
    parameter: {
      type: "object",
      required: ["field", "years"],
      properties: {
        field: { ...PATH, description: "作为起点的日期字段（路径）" },
        years: { type: "integer", minimum: 1, description: "年数" },
      },
    },
    reads: (p) => (isRecord(p) && isPath(p.field) && Number.isInteger(p.years) && (p.years as number) > 0 ? [p.field] : undefined),
    validate(value, rule, ctx) {
      const { field, years } = rule.withinYearsAfter as { field: string; years: number };
      const other = valueAt(ctx?.form?.values, field);
      if (!isCalendarDate(value) || !isCalendarDate(other)) return "";
      return value > shiftDay(other, years, "year") ? (rule.message ?? `应在${years}年以内`) : "";
    },
  },

  /** { "notAfterToday": true, "message": "检查日期不能晚于今天" }: a date that has happened (Beijing time) */
  notAfterToday: {
    label: "不晚于今天",
    parameter: { const: true },
    reads: (p) => (p === true ? [] : undefined),
    validate(value, rule, ctx) {
      if (!isCalendarDate(value)) return "";
      const today = ctx?.today ?? todayHere();
      return value > today ? (rule.message ?? "日期不能晚于今天") : "";
    },
  },

  /**
   * On a list: the total of one field of its rows, plus other fields, equals or stays under a number.
   * { "listSum": { "item": "share", "plus": ["leadShare"], "equals": 100 }, "message": "…当前为{total}%" }
   * { "listSum": { "item": "share", "maximum": 100 }, "message": "…当前为{total}%" }
   */
  listSum: {
    label: "列表各行之和（等于或不超过）",
    parameter: {
      type: "object",
      required: ["item"],
      properties: {
        item: { ...PATH, description: "各行中求和的字段" },
        plus: { type: "array", items: PATH, description: "另加的字段（路径）" },
        equals: { ...NUMBER, description: "和须等于" },
        maximum: { ...NUMBER, description: "和不得超过" },
      },
    },
    reads: (p) =>
      isRecord(p) &&
      isPath(p.item) &&
      (p.plus === undefined || (Array.isArray(p.plus) && p.plus.every(isPath))) &&
      (isNumber(p.equals) || isNumber(p.maximum))
        ? ((p.plus as string[] | undefined) ?? [])
        : undefined,
    validate(value, rule, ctx) {
      const { item, plus = [], equals, maximum } = rule.listSum as { item: string; plus?: string[]; equals?: number; maximum?: number };
      const rows = Array.isArray(value) ? value : [];
      const items = rows.map((row) => valueAt(row, item));
      const others = plus.map((f) => valueAt(ctx?.form?.values, f));
      // Incomplete rows or fields get their own messages; a total of them would only mislead.
      if (!items.every(isNumber) || !others.every(isNumber)) return "";
      const total = totalOf(others) + totalOf(items);
      const wrong =
        (isNumber(equals) && Math.abs(total - equals) > SUM_TOLERANCE) || (isNumber(maximum) && total > maximum + SUM_TOLERANCE);
      return wrong ? filled(rule.message ?? "合计为{total}", { total: shownTotal(total) }) : "";
    },
  },
};

registerValidateRules(Object.fromEntries(Object.entries(SHARED_RULES).map(([name, rule]) => [name, rule.validate as never])) as never);

/** Whether `name` is one of the platform's own rules, and if so whether its parameter is well formed. */
export function sharedRuleParameterOk(name: string, param: unknown): boolean | undefined {
  return Object.hasOwn(SHARED_RULES, name) ? SHARED_RULES[name].reads(param) !== undefined : undefined;
}

/** The platform's own rules, for the form editor: name, what each asks, its parameter's shape. */
export const sharedRuleDescriptions = (): { name: string; label: string; parameter: ParameterSchema }[] =>
  Object.entries(SHARED_RULES).map(([name, { label, parameter }]) => ({ name, label, parameter }));

/** The facts of a flow's business object, as the server gives them beside a form's values. */
export type FlowFactValues = Record<string, string | number>;

/**
 * The first day a date field may hold by its rules against the flow's facts (notBeforeField
 * "$flow.reportedOn", "$flow.returnedOn"): the latest of those dates; undefined when it names none
 * the flow has.
 */
export function earliestAllowed(validator: unknown, facts: FlowFactValues): string | undefined {
  const days = [validator]
    .flat()
    .map((rule) => (isRecord(rule) && typeof rule.notBeforeField === "string" ? rule.notBeforeField : ""))
    .filter((path) => path.startsWith(`${FLOW_FACTS}.`))
    .map((path) => facts[path.slice(FLOW_FACTS.length + 1)])
    .filter(isCalendarDate);
  return days.length ? days.sort().at(-1) : undefined;
}

/** Whether an x-validator (one rule or a list of them) names the rule `name`. */
export const namesRule = (validator: unknown, name: string): boolean =>
  [validator].flat().some((entry) => isRecord(entry) && Object.hasOwn(entry, name));

/** The other fields an x-validator (one rule or a list of them) reads, by path in the form's values. */
export function fieldsReadBy(validator: unknown): string[] {
  return [validator]
    .flat()
    .flatMap((description) =>
      isRecord(description)
        ? Object.entries(description).flatMap(([name, param]) =>
            Object.hasOwn(SHARED_RULES, name) ? (SHARED_RULES[name].reads(param) ?? []) : [],
          )
        : [],
    );
}

setValidateLanguage("zh-CN");

// Formily evaluates "{{…}}" strings of a schema as JavaScript (new Function). Schemas are data:
// here an expression stays the text it is, in the browser and on the server. Deploying a form
// refuses them outright (app/shared/form-check.ts); this holds even for a schema that slipped past.
Schema.registerCompiler((expression: string) => `{{${expression}}}`);
