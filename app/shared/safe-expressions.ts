// The safe expression form a diagram may use (the runtime evaluates it, the deploy check and the
// modeler judge it; architecture rule 4): `${path.to.value}` or `${environment.services.fn(args)}`
// where fn is one of the helpers below. Nothing else is evaluated; there is no script language.

// Comparisons hold only between numbers: a missing value (null, "") is not 0, so "the estimate is
// below 3000" is false when no estimate was given.
function compare(a: unknown, b: unknown, holds: (x: number, y: number) => boolean): boolean {
  const [x, y] = [a, b].map((v) => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN));
  return Number.isFinite(x) && Number.isFinite(y) && holds(x, y);
}

export const CONDITION_HELPERS = {
  eq: (a: unknown, b: unknown) => a === b,
  ne: (a: unknown, b: unknown) => a !== b,
  gt: (a: unknown, b: unknown) => compare(a, b, (x, y) => x > y),
  gte: (a: unknown, b: unknown) => compare(a, b, (x, y) => x >= y),
  lt: (a: unknown, b: unknown) => compare(a, b, (x, y) => x < y),
  lte: (a: unknown, b: unknown) => compare(a, b, (x, y) => x <= y),
  isTrue: (a: unknown) => a === true,
  isEmpty: (a: unknown) => a === undefined || a === null || a === "" || (Array.isArray(a) && a.length === 0),
  includes: (list: unknown, value: unknown) => Array.isArray(list) && list.includes(value),
  // Over the submissions of a 会签/或签 task (environment.output.<task id>, one per organisation,
  // null for those the flow closed unanswered): whether every answered one, or any, has field = value.
  everyEq: (list: unknown, field: unknown, value: unknown) =>
    answered(list, field).every((v) => v === value) && answered(list, field).length > 0,
  someEq: (list: unknown, field: unknown, value: unknown) => answered(list, field).some((v) => v === value),
} as const;

/** The values of `field` in a list's submissions, leaving out the holes of iterations nobody did. */
function answered(list: unknown, field: unknown): unknown[] {
  if (!Array.isArray(list) || typeof field !== "string") return [];
  return list.filter((item) => item && typeof item === "object").map((item) => (item as Record<string, unknown>)[field]);
}

const WHOLE_EXPRESSION = /^\$\{([^{}]+)\}$/;
const PATH = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/;
const CALL = /^environment\.services\.([A-Za-z_]\w*)\((.*)\)$/;
// A quoted text may hold commas and other punctuation, but not what ends the runtime's reading of
// the call or the expression early (bpmn-elements reads a call up to its first ")", an expression
// up to its first "}"), nor a line break; there is no escape.
const ARGUMENT = /^(?:"[^"){}\n\r]*"|'[^'){}\n\r]*'|-?\d+(?:\.\d+)?|true|false|null|[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)$/;

/** A call's arguments, split at the commas outside quotes, as the runtime splits them. */
function splitArguments(text: string): string[] {
  const args: string[] = [];
  let current = "";
  let quote = "";
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = "";
    } else if (char === '"' || char === "'") quote = char;
    else if (char === ",") {
      args.push(current.trim());
      current = "";
      continue;
    }
    current += char;
  }
  return [...args, current.trim()];
}

/**
 * What every JavaScript object has besides its data: never a name a condition, a flow's key or a
 * form's field may take (looked up as data, it would find the object's machinery instead).
 */
export const OBJECT_MACHINERY: ReadonlySet<string> = new Set(["constructor", "prototype", ...Object.getOwnPropertyNames(Object.prototype)]);

/** Besides Object's machinery, what a function carries: never data a condition may name. */
const CONDITION_FORBIDDEN: ReadonlySet<string> = new Set([...OBJECT_MACHINERY, "caller", "callee", "arguments", "call", "apply", "bind"]);
/** The longest condition: far above any comparison a diagram needs. */
export const CONDITION_MAX_LENGTH = 2000;

/** Null when `text` is a safe condition expression, otherwise the reason in Chinese. */
export function conditionProblem(text: string): string | null {
  if (text.length > CONDITION_MAX_LENGTH) return `条件表达式过长，不能超过${CONDITION_MAX_LENGTH}个字符`;
  // The engine pastes what surrounds ${…} into text ("  false\n" is truthy): nothing may.
  if (text.trim() !== text && WHOLE_EXPRESSION.test(text.trim())) return "条件表达式前后不能有其他字符（包括空格和换行）";
  const match = text.match(WHOLE_EXPRESSION);
  if (!match) return "条件必须写成 ${…} 表达式";
  const inner = match[1].trim();
  // A path reads the flow's data; an object's own machinery (constructor, __proto__, call…) is not data.
  const machinery = inner.split(/[^\w]+/).find((word) => CONDITION_FORBIDDEN.has(word));
  if (machinery) return `条件“${text}”引用了不允许的名称“${machinery}”`;
  if (PATH.test(inner)) return null;
  const call = inner.match(CALL);
  if (!call) return `条件“${text}”不是允许的表达式（只能引用数据或调用内置判断函数）`;
  if (!Object.hasOwn(CONDITION_HELPERS, call[1]))
    return `条件使用了未知的判断函数“${call[1]}”，可用：${Object.keys(CONDITION_HELPERS).join("、")}`;
  const args = call[2].trim() ? splitArguments(call[2]) : [];
  const arity = CONDITION_HELPERS[call[1] as keyof typeof CONDITION_HELPERS].length;
  if (args.length !== arity) return `判断函数“${call[1]}”需要${arity}个参数，条件中有${args.length}个`;
  const bad = args.find((a) => !ARGUMENT.test(a));
  // An empty argument ("eq(a, )") is one too: the runtime would drop it and compare with nothing.
  return bad !== undefined ? `条件参数“${bad}”不是允许的值（文字、数字或数据路径）` : null;
}

const ORDERED = new Set(["gt", "gte", "lt", "lte"]);

/**
 * Why a safe condition compares with nothing or with what never holds, or null: a comparison
 * (等于, 大于, 包含…) without its value (`eq(a,"")`, what clearing the modeler's 值 leaves), and an
 * ordered comparison (大于…) with a text that is not a number ("3000元"): `compare` holds only
 * between numbers, so it would always be false.
 */
export function conditionValueProblem(text: string): string | null {
  const call = text.trim().match(WHOLE_EXPRESSION)?.[1].trim().match(CALL);
  if (!call || !["eq", "ne", "includes", ...ORDERED].includes(call[1])) return null;
  const value = splitArguments(call[2])[1] ?? "";
  if (value === "" || value === '""' || value === "''") return "条件缺少比较值";
  const unquoted = /^["']/.test(value) ? value.slice(1, -1).trim() : value;
  const isPath = PATH.test(value) && !["true", "false", "null"].includes(value);
  if (ORDERED.has(call[1]) && !isPath && !/^-?\d+(\.\d+)?$/.test(unquoted)) return "比较值应为数字";
  return null;
}

const SERVICE_REFERENCE = /^\$\{environment\.services\.([A-Za-z_][\w.-]*)\}$/;

/** The service a service task's `implementation` names, or null if it is not the safe form. */
export function serviceNameOf(implementation: unknown): string | null {
  return typeof implementation === "string" ? (implementation.trim().match(SERVICE_REFERENCE)?.[1] ?? null) : null;
}
