import { getValidateFormats, getValidateRules } from "@formily/validator";
import { FORM_COMPONENTS, FORM_COMPONENT_PARTS, FORM_DECORATORS } from "~/shared/form-components";
import { namesRule, sharedRuleParameterOk } from "~/shared/form-rules";
import type { FieldErrors } from "../errors.server";
import { topLevelFields } from "./schema-fields.server";
import { submissionCheckNames } from "./server-checks.server";

const EXPRESSION = /\{\{[\s\S]*\}\}/;
const COMPONENTS = new Set<string>([...FORM_COMPONENTS, ...FORM_COMPONENT_PARTS]);
const DECORATORS = new Set<string>(FORM_DECORATORS);
// Keys through which Formily would run behaviour rather than read data.
const BEHAVIOUR_KEYS = ["x-reactions", "x-effects", "x-linkages"];
// Keys of an x-validator entry that are not rules. "validator" (a function in Formily) is code.
const RULE_OPTIONS = new Set(["message", "triggerType"]);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const FIELD_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** What is wrong with a field's x-validator: a rule or format the platform does not have, or a rule's parameters. */
function validatorProblem(validator: unknown): string | undefined {
  for (const entry of [validator].flat()) {
    if (typeof entry === "string") {
      if (!Object.hasOwn(getValidateFormats(), entry)) return `未知的校验格式“${entry}”`;
      continue;
    }
    if (!isRecord(entry)) return "校验规则应为对象";
    for (const [name, param] of Object.entries(entry)) {
      if (RULE_OPTIONS.has(name)) continue;
      if (name === "format" && typeof param === "string" && Object.hasOwn(getValidateFormats(), param)) continue;
      if (name === "validator" || !Object.hasOwn(getValidateRules(), name)) return `未知的校验规则“${name}”`;
      if (sharedRuleParameterOk(name, param) === false) return `校验规则“${name}”的参数不正确`;
    }
  }
  return undefined;
}

/**
 * What is wrong with a text field's length: it must say how long it may be (maxLength, a whole
 * number of characters), unless its value is otherwise bounded: one of its options (enum), a date
 * (DatePicker) or a 统一社会信用代码 (the creditCode rule). Text is refused over it, never cut.
 */
function lengthProblem(field: Record<string, unknown>): string | undefined {
  const max = field.maxLength;
  if (max !== undefined) return Number.isInteger(max) && (max as number) > 0 ? undefined : "最多字数（maxLength）应为正整数";
  if (field.type !== "string" || field.enum !== undefined || field["x-component"] === "DatePicker") return undefined;
  if (namesRule(field["x-validator"], "creditCode")) return undefined;
  return `文字字段“${String(field.title ?? "")}”须规定最多字数（maxLength）`;
}

/**
 * What is wrong with a form schema before it may be deployed, by where it is ("schema" for the
 * whole, else the field's path): it must be an object of fields, name only the components the
 * platform renders, the validation rules and server checks the platform has (by name, with
 * well-formed parameters), give every text field its longest length, and hold no expressions or
 * reactions (nothing in a form runs as code). A field prefilled from earlier steps (`x-prefill`)
 * names a key, and is one of the form's top level.
 */
export function formSchemaProblems(schema: unknown): FieldErrors {
  const problems: FieldErrors = {};
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return { schema: "表单定义应为 JSON 对象" };
  const root = schema as Record<string, unknown>;
  if (root.type !== "object" || !root.properties || typeof root.properties !== "object")
    return { schema: "表单定义的根应为 type 为 object 且含 properties 的对象" };

  const checks = root["x-server-checks"];
  if (checks !== undefined) {
    const known = new Set(submissionCheckNames());
    const unknown = Array.isArray(checks) ? checks.find((c) => typeof c !== "string" || !known.has(c)) : checks;
    if (!Array.isArray(checks) || unknown !== undefined) problems.schema = `未知的服务端核对“${String(unknown)}”`;
  }

  const topLevel = new Set<unknown>(topLevelFields(root).map(([, field]) => field));
  const visit = (node: unknown, where: string) => {
    if (typeof node === "string") {
      if (EXPRESSION.test(node)) problems[where] ??= `表单中不允许表达式“${node.slice(0, 40)}”`;
      return;
    }
    if (Array.isArray(node)) return node.forEach((v, i) => visit(v, `${where}.${i}`));
    if (!node || typeof node !== "object") return;
    const record = node as Record<string, unknown>;
    for (const key of BEHAVIOUR_KEYS) if (key in record) problems[where] ??= `表单中不允许联动脚本（${key}），请使用平台提供的校验规则`;
    if ("x-prefill" in record) {
      if (!topLevel.has(record)) problems[where] ??= "只有表单最外层的字段可以预填（x-prefill）";
      else if (typeof record["x-prefill"] !== "string" || !FIELD_KEY.test(record["x-prefill"]))
        problems[where] ??= "预填（x-prefill）应为前面步骤的字段名，如 cause";
    }
    if ("x-validator" in record) {
      const problem = validatorProblem(record["x-validator"]);
      if (problem) problems[where] ??= problem;
    }
    const component = record["x-component"];
    if (component !== undefined && (typeof component !== "string" || !COMPONENTS.has(component)))
      problems[where] ??= `不支持的组件“${String(component)}”`;
    // The input would change a number typed outside its bounds (-500 to 0) without a word: the
    // bounds belong in x-validator (minimum, maximum), which says what is wrong.
    const props = record["x-component-props"];
    if (component === "NumberPicker" && isRecord(props) && ("min" in props || "max" in props))
      problems[where] ??= "数字输入框不能设 min/max（会不加提示地改掉输入的数），请在校验规则中用 minimum/maximum";
    const decorator = record["x-decorator"];
    if (decorator !== undefined && (typeof decorator !== "string" || !DECORATORS.has(decorator)))
      problems[where] ??= `不支持的装饰组件“${String(decorator)}”`;
    for (const [key, value] of Object.entries(record)) {
      const child = key === "properties" || key === "items" ? where : `${where}.${key}`;
      if (key === "properties" && value && typeof value === "object") {
        for (const [name, field] of Object.entries(value)) {
          const path = where === "schema" ? name : `${where}.${name}`;
          const problem = isRecord(field) ? lengthProblem(field) : undefined;
          if (problem) problems[path] ??= problem;
          visit(field, path);
        }
      } else visit(value, child);
    }
  };
  visit(root, "schema");
  return problems;
}
