import { CITY_WIDE_ROLES, type Role } from "@db/schema/roles";
import { ROLE_LABELS } from "./labels";
import { getDate } from "@0dep/piso";
import { timerSettingProblem, timerUnreadable, type TimerKind } from "./process-checks";
import { CONDITION_HELPERS, conditionProblem } from "./safe-expressions";
import { formatDateTime } from "./time";

// What the modeler's properties panel offers as choices and shows in words: conditions built from a
// form's fields in the safe expression form, timers in Chinese ("7天后"), who does a task.

export { MAX_REASON_CHARS, lintIssueText } from "./modeler-texts";

/** A form field a condition may test, as the modeler lists it. */
export interface ConditionField {
  name: string;
  title: string;
  type: string;
  /** The field's choices, when it has them (a decision: approve 同意, return 退回…). */
  options?: { value: string | number | boolean; label: string }[];
}

export const CONDITION_OPERATORS: { value: keyof typeof CONDITION_HELPERS; label: string; unary?: true }[] = [
  { value: "eq", label: "等于" },
  { value: "ne", label: "不等于" },
  { value: "gt", label: "大于" },
  { value: "gte", label: "大于等于" },
  { value: "lt", label: "小于" },
  { value: "lte", label: "小于等于" },
  { value: "isTrue", label: "为是", unary: true },
  { value: "isEmpty", label: "为空", unary: true },
  { value: "includes", label: "包含" },
];

/** A condition on one field of an earlier task's submission. */
export interface ConditionParts {
  taskId: string;
  field: string;
  operator: string;
  /** The value compared with, as text: a number stays a number, anything else is a quoted string. */
  value: string;
}

const BUILT = /^\$\{environment\.services\.(\w+)\(environment\.output\.(\w+)\.(\w+)(?:,(.*))?\)\}$/;

/** The parts of a condition the modeler built, or null for one it did not (written by hand). */
export function parseCondition(text: string): ConditionParts | null {
  const match = text.trim().match(BUILT);
  if (!match || !(match[1] in CONDITION_HELPERS)) return null;
  const raw = (match[4] ?? "").trim();
  const value = raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  return { operator: match[1], taskId: match[2], field: match[3], value };
}

/** The safe expression of a condition (architecture rule 4); a value that is not a number is quoted. */
export function buildCondition(parts: ConditionParts): string {
  const operator = CONDITION_OPERATORS.find((o) => o.value === parts.operator) ?? CONDITION_OPERATORS[0];
  const path = `environment.output.${parts.taskId}.${parts.field}`;
  if (operator.unary) return `\${environment.services.${operator.value}(${path})}`;
  // A cleared value (the panel's text field gives undefined) is "": the check says 条件缺少比较值.
  const typed = (parts.value ?? "").trim();
  const value = /^-?\d+(\.\d+)?$/.test(typed) || ["true", "false"].includes(typed) ? typed : `"${typed.replaceAll('"', "")}"`;
  const text = `\${environment.services.${operator.value}(${path},${value})}`;
  return conditionProblem(text) ? `\${environment.services.${operator.value}(${path},"")}` : text;
}

/** Why a value typed for a comparison cannot be used, in Chinese, or null (the panel refuses it). */
export function conditionValueInputProblem(operator: string, field: ConditionField | undefined, value: string | undefined): string | null {
  const typed = (value ?? "").trim();
  const numeric = field?.type === "number" || field?.type === "integer" || ["gt", "gte", "lt", "lte"].includes(operator);
  if (numeric && typed && !/^-?\d+(\.\d+)?$/.test(typed)) return "比较值应为数字，如 3000";
  return null;
}

/**
 * The comparisons that fit a field: a number is ordered, a choice, a date or a text is not (the
 * runtime's 大于/小于 hold only between numbers, so a date's would always be false), a yes/no is tested.
 */
export function operatorsFor(field: ConditionField | undefined): typeof CONDITION_OPERATORS {
  const only = (...values: string[]) => values.map((value) => CONDITION_OPERATORS.find((o) => o.value === value)!);
  // A service's result (its type is not declared anywhere) may be compared in any way.
  if (!field || field.type === "unknown") return CONDITION_OPERATORS;
  if (field.options?.length) return only("eq", "ne", "isEmpty");
  if (field.type === "number" || field.type === "integer") return only("eq", "ne", "gt", "gte", "lt", "lte", "isEmpty");
  if (field.type === "boolean") return only("isTrue", "eq", "ne");
  return only("eq", "ne", "isEmpty");
}

/**
 * The condition after another field was chosen: the value typed for the field before goes (a sum
 * does not fit a date), and the comparison becomes the first that fits the new field's type.
 */
export function withConditionField(parts: ConditionParts, taskId: string, field: ConditionField | undefined): ConditionParts {
  const name = field?.name ?? parts.field;
  if (taskId === parts.taskId && name === parts.field) return parts;
  return { taskId, field: name, operator: operatorsFor(field)[0].value, value: "" };
}

/** A step before a flow whose result a condition may read: a user task's form, or a service's answer. */
export interface ConditionSource {
  id: string;
  name?: string;
  kind: "user" | "service";
  /** The fields of a user task's form; a service's result has no declared fields. */
  fields: ConditionField[];
}

/** A field the condition builder lists: `value` is "<task id>.<field>". */
export interface ConditionFieldOption {
  value: string;
  label: string;
  field: ConditionField;
}

/**
 * The fields a flow's condition may test: those of the earlier steps' forms, and the field the
 * condition reads now when it is not one of them (a service's result such as 登记受理's
 * `coveredEstimate`, or a field the form no longer has): shown, never hidden.
 */
export function conditionFieldOptions(sources: ConditionSource[], current: ConditionParts | null): ConditionFieldOption[] {
  const options = sources.flatMap((source) =>
    source.fields.map((field) => ({ value: `${source.id}.${field.name}`, label: `${source.name ?? source.id} · ${field.title}`, field })),
  );
  if (current && !options.some((o) => o.value === `${current.taskId}.${current.field}`)) {
    const source = sources.find((s) => s.id === current.taskId);
    const note = !source ? "此前步骤中没有该任务" : source.kind === "service" ? "服务结果" : "表单中已无此字段";
    options.push({
      value: `${current.taskId}.${current.field}`,
      label: `${source?.name ?? current.taskId} · ${current.field}（${note}）`,
      field: { name: current.field, title: current.field, type: "unknown" },
    });
  }
  return options;
}

const UNITS: [RegExp, string][] = [
  [/(\d+)Y/, "年"],
  [/(\d+)M/, "个月"],
  [/(\d+)W/, "周"],
  [/(\d+)D/, "天"],
];
const TIME_UNITS: [RegExp, string][] = [
  [/(\d+)H/, "小时"],
  [/(\d+)M/, "分钟"],
  [/(\d+)S/, "秒"],
];

/** An ISO 8601 duration in words ("P7D" → "7天", "PT12H" → "12小时"), or null when it is not one. */
export function durationWords(duration: string): string | null {
  const match = duration.trim().match(/^P(?!$)([^T]*)(?:T(?=.)(.*))?$/);
  if (!match || !/^(\d+[YMWD])*$/.test(match[1]) || !/^(\d+[HMS])*$/.test(match[2] ?? "")) return null;
  const words = [
    ...UNITS.map(([re, unit]) => (match[1].match(re)?.[1] ? `${Number(match[1].match(re)![1])}${unit}` : "")),
    ...TIME_UNITS.map(([re, unit]) => ((match[2] ?? "").match(re)?.[1] ? `${Number((match[2] ?? "").match(re)![1])}${unit}` : "")),
  ].join("");
  return words || null;
}

/**
 * What a timer's setting means, in Chinese: "7天后", "每1小时，共3次", "于 2027年1月1日 09:00", the flow
 * data it reads, or why it cannot be used (the deploy check's own words: `timerSettingProblem`).
 */
export function timerPreview(kind: TimerKind, text: string, now = new Date()): string {
  const value = text.trim();
  if (!value) return "未设置";
  const data = value.match(/^\$\{environment\.(?:variables|output)\.([\w.]+)\}$/);
  if (data) return `按流程数据“${data[1]}”`;
  const words = timerWords(kind, value);
  const problem = timerSettingProblem(kind, value, now);
  if (problem && problem !== timerUnreadable(value)) return problem;
  if (!words) return kind === "timeDate" ? "无法识别的日期" : kind === "timeCycle" ? "无法识别的周期" : "无法识别的时长";
  return problem ?? words;
}

/**
 * A date and time the panel writes, with the platform's zone (Asia/Shanghai, +08:00) when typed
 * without one: the preview reads it in that zone, and the engine would read it as UTC.
 */
export function withPlatformZone(kind: TimerKind, text: string): string {
  const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
  if (kind === "timeDate") return time.test(text.trim()) ? `${text.trim()}+08:00` : text;
  if (kind === "timeCycle")
    return text
      .split("/")
      .map((part) => (time.test(part) ? `${part}+08:00` : part))
      .join("/");
  return text;
}

/** A date and time in the platform's zone, in words: "2027年1月1日 09:00". */
function dateWords(text: string): string | null {
  try {
    const date = getDate(text);
    return Number.isFinite(date.getTime()) ? formatDateTime(date, "YYYY年M月D日 HH:mm") : null;
  } catch {
    return null;
  }
}

function timerWords(kind: TimerKind, value: string): string | null {
  if (kind === "timeDate") {
    const date = dateWords(value);
    return date && `于 ${date}`;
  }
  if (kind === "timeCycle") {
    // R[n]/[start/]duration: how often, how many times, from when.
    const cycle = value.match(/^R(\d*)\/(?:([^/]+)\/)?(P[^/]+)$/);
    const every = cycle && durationWords(cycle[3]);
    const start = cycle?.[2] ? dateWords(cycle[2]) : null;
    if (!every || (cycle[2] && !start)) return null;
    return `${start ? `自 ${start} 起，` : ""}每${every}${cycle[1] ? `，共${Number(cycle[1])}次` : "，不限次数"}`;
  }
  const words = durationWords(value);
  return words && `${words}后`;
}

/** Durations the modeler offers for a timer, with their words. */
export const COMMON_DURATIONS = ["PT1H", "PT12H", "PT24H", "P2D", "P3D", "P5D", "P7D", "P10D", "P15D", "P30D", "P3M", "P1Y", "P2Y"].map(
  (value) => ({ value, label: `${durationWords(value)}（${value}）` }),
);

/** Who does a task of these roles: a role the whole city shares, or the flow's own party in it. */
export function partyRule(roles: string[]): string {
  if (!roles.length) return "未选择办理角色";
  return roles
    .map((role) => {
      const label = ROLE_LABELS[role as Role] ?? role;
      return CITY_WIDE_ROLES.includes(role as Role) ? `任一${label}用户` : `本流程的${label}（业务对象的参与方）`;
    })
    .join("，或");
}
