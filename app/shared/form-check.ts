import { getValidateFormats, getValidateRules } from "@formily/validator";
import { DEFINITION_KEY_PATTERN } from "./definition-key";
import { FORM_COMPONENTS, FORM_COMPONENT_PARTS, FORM_DECORATORS } from "./form-components";
import { patternProblem } from "./form-pattern";
import { namesRule, sharedRuleParameterOk } from "./form-rules";
import { OBJECT_MACHINERY } from "./safe-expressions";
import { topLevelFields } from "./schema-fields";

// What is wrong with a form schema before it may be published, judged by the same code in the form
// editor (on every keystroke, as marks in the text) and on the server (deploy, the API's 422): a
// schema is data, never code (docs/architecture.md rule 4, docs/decisions/007 and 036).

export interface FormSchemaProblem {
  /**
   * Where, as the API's `fields` name it: "schema" for the whole form, else the field's path in the
   * form's values ("amount", "developer.creditCode", a list's row fields "rows.part"), followed by
   * the schema key the problem sits in when it is not the field itself ("subject.default").
   */
  path: string;
  /** Where in the schema's JSON: a JSON pointer ("/properties/amount/x-component"), for the editor's marks. */
  pointer: string;
  /** In Chinese, for the administrator. */
  message: string;
}

export interface FormCheckOptions {
  /** The names of the server checks the platform has (app/server/forms/server-checks.server.ts). */
  serverChecks: readonly string[];
}

/** A field's key: a path segment of the form's values (and what x-prefill may name). */
export const FIELD_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Far above the largest built-in form (about 12 KB), far below the API's 1 MB body. */
export const FORM_SCHEMA_MAX_BYTES = 256 * 1024;
/** What a field's `type` may be: the kinds of value the platform validates, and void for layout. */
export const FIELD_TYPES = ["string", "number", "boolean", "array", "object", "void"] as const;

const EXPRESSION = /\{\{[\s\S]*\}\}/;
const COMPONENTS = new Set<string>([...FORM_COMPONENTS, ...FORM_COMPONENT_PARTS]);
const DECORATORS = new Set<string>(FORM_DECORATORS);
/** Keys through which Formily would run behaviour rather than read data. */
export const BEHAVIOUR_KEYS = ["x-reactions", "x-effects", "x-linkages"] as const;
/** Keys of an x-validator entry that are not rules. "validator" (a function in Formily) is code. */
export const RULE_OPTIONS = ["message", "triggerType"] as const;
const OPTIONS = new Set<string>(RULE_OPTIONS);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON pointer's segment, escaped (RFC 6901). */
const segment = (key: string | number) => `/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;

/** What is wrong with a form's key, or undefined. */
export function formKeyProblem(key: unknown): string | undefined {
  if (typeof key !== "string" || key === "") return "请填写表单标识";
  if (!DEFINITION_KEY_PATTERN.test(key)) return "表单标识应为小写字母开头的小写字母、数字和连字符，2到63个字符（如 claim-survey）";
  return OBJECT_MACHINERY.has(key) ? `表单标识“${key}”是保留名称，请换一个` : undefined;
}

/** What is wrong with a field's x-validator, and where in it (a pointer below the x-validator). */
function validatorProblem(validator: unknown): { message: string; at: string } | undefined {
  const entries = Array.isArray(validator) ? validator.map((v, i) => [v, segment(i)] as const) : [[validator, ""] as const];
  for (const [entry, at] of entries) {
    if (typeof entry === "string") {
      if (!Object.hasOwn(getValidateFormats(), entry)) return { message: `未知的校验格式“${entry}”`, at };
      continue;
    }
    if (!isRecord(entry)) return { message: "校验规则应为对象", at };
    for (const [name, param] of Object.entries(entry)) {
      if (OPTIONS.has(name)) continue;
      if (name === "format" && typeof param === "string" && Object.hasOwn(getValidateFormats(), param)) continue;
      if (name === "validator" || !Object.hasOwn(getValidateRules(), name))
        return { message: `未知的校验规则“${name}”`, at: at + segment(name) };
      if (sharedRuleParameterOk(name, param) === false) return { message: `校验规则“${name}”的参数不正确`, at: at + segment(name) };
      const pattern = name === "pattern" ? patternProblem(param) : undefined;
      if (pattern) return { message: pattern, at: at + segment(name) };
    }
  }
  return undefined;
}

/** The most characters a field may allow: a long 情况说明 is a few thousand; 1e308 is none. */
export const MAX_LENGTH_LIMIT = 100_000;

/**
 * What is wrong with a text field's length: it must say how long it may be (maxLength, a whole
 * number of characters), unless its value is otherwise bounded: one of its options (enum), a date
 * (DatePicker) or a 统一社会信用代码 (the creditCode rule). Text is refused over it, never cut.
 */
function lengthProblem(field: Record<string, unknown>): { message: string; at: string } | undefined {
  const max = field.maxLength;
  if (max !== undefined && !(Number.isInteger(max) && (max as number) > 0))
    return { message: "最多字数（maxLength）应为正整数", at: "/maxLength" };
  if (max !== undefined)
    return (max as number) <= MAX_LENGTH_LIMIT
      ? undefined
      : { message: `最多字数（maxLength）不能超过${MAX_LENGTH_LIMIT}`, at: "/maxLength" };
  if (field.type !== "string" || field.enum !== undefined || field["x-component"] === "DatePicker") return undefined;
  if (namesRule(field["x-validator"], "creditCode")) return undefined;
  return { message: `文字字段“${String(field.title ?? "")}”须规定最多字数（maxLength）`, at: "" };
}

/** What is wrong with a field's own keywords' types (a title that is no text, a type Formily does not have). */
function shapeProblem(field: Record<string, unknown>): { message: string; at: string } | undefined {
  if (field.type !== undefined && !(FIELD_TYPES as readonly unknown[]).includes(field.type))
    return { message: `字段类型“${String(field.type)}”不正确，应为 ${FIELD_TYPES.join("、")} 之一`, at: "/type" };
  for (const key of ["title", "description"])
    if (field[key] !== undefined && typeof field[key] !== "string")
      return { message: `${key === "title" ? "标题" : "说明"}（${key}）应为文字`, at: segment(key) };
  if (field.required !== undefined && typeof field.required !== "boolean")
    return { message: "必填（required）应为 true 或 false", at: "/required" };
  if (field.enum !== undefined && !Array.isArray(field.enum)) return { message: "可选项（enum）应为列表", at: "/enum" };
  const pattern = field.pattern === undefined ? undefined : patternProblem(field.pattern);
  if (pattern) return { message: pattern, at: "/pattern" };
  if (field["x-component-props"] !== undefined && !isRecord(field["x-component-props"]))
    return { message: "组件属性（x-component-props）应为 JSON 对象", at: "/x-component-props" };
  return undefined;
}

/**
 * Every problem of a form schema, in the order met: it must be an object of fields, name only the
 * components the platform renders, the validation rules and server checks the platform has (by
 * name, with well-formed parameters), give every text field its longest length, and hold no
 * expressions or reactions (nothing in a form runs as code). A field prefilled from earlier steps
 * (`x-prefill`) names a key, and is one of the form's top level.
 */
export function formSchemaIssues(schema: unknown, options: FormCheckOptions): FormSchemaProblem[] {
  const problems: FormSchemaProblem[] = [];
  const add = (path: string, pointer: string, message: string) => problems.push({ path, pointer, message });
  if (!isRecord(schema)) return [{ path: "schema", pointer: "", message: "表单定义应为 JSON 对象" }];
  const size = new TextEncoder().encode(JSON.stringify(schema)).length;
  if (size > FORM_SCHEMA_MAX_BYTES)
    return [
      { path: "schema", pointer: "", message: `表单定义过大（${Math.ceil(size / 1024)}KB），不能超过${FORM_SCHEMA_MAX_BYTES / 1024}KB` },
    ];
  if (schema.type !== "object" || !isRecord(schema.properties))
    return [{ path: "schema", pointer: "", message: "表单定义的根应为 type 为 object 且含 properties 的对象" }];
  if (schema.title !== undefined && typeof schema.title !== "string") add("schema", "/title", "表单名称（title）应为文字");

  const checks = schema["x-server-checks"];
  if (checks !== undefined) {
    const known = new Set(options.serverChecks);
    if (!Array.isArray(checks)) add("schema", "/x-server-checks", "服务端核对（x-server-checks）应为名称的列表");
    else
      checks.forEach((c, i) => {
        if (typeof c !== "string" || !known.has(c)) add("schema", `/x-server-checks/${i}`, `未知的服务端核对“${String(c)}”`);
      });
  }

  const topLevel = new Set<unknown>(topLevelFields(schema).map(([, field]) => field));
  const visit = (node: unknown, where: string, pointer: string) => {
    if (typeof node === "string") {
      if (EXPRESSION.test(node)) add(where, pointer, `表单中不允许表达式“${node.slice(0, 40)}”`);
      return;
    }
    if (Array.isArray(node)) return node.forEach((v, i) => visit(v, `${where}.${i}`, pointer + segment(i)));
    if (!isRecord(node)) return;
    for (const key of BEHAVIOUR_KEYS)
      if (key in node) add(where, pointer + segment(key), `表单中不允许联动脚本（${key}），请使用平台提供的校验规则`);
    if ("x-prefill" in node) {
      if (!topLevel.has(node)) add(where, `${pointer}/x-prefill`, "只有表单最外层的字段可以预填（x-prefill）");
      else if (typeof node["x-prefill"] !== "string" || !FIELD_KEY_PATTERN.test(node["x-prefill"]))
        add(where, `${pointer}/x-prefill`, "预填（x-prefill）应为前面步骤的字段名，如 cause");
    }
    if ("x-validator" in node) {
      const problem = validatorProblem(node["x-validator"]);
      if (problem) add(where, `${pointer}/x-validator${problem.at}`, problem.message);
    }
    const component = node["x-component"];
    if (component !== undefined && (typeof component !== "string" || !COMPONENTS.has(component)))
      add(where, `${pointer}/x-component`, `不支持的组件“${String(component)}”`);
    // The input would change a number typed outside its bounds (-500 to 0) without a word: the
    // bounds belong in x-validator (minimum, maximum), which says what is wrong.
    const props = node["x-component-props"];
    if (component === "NumberPicker" && isRecord(props) && ("min" in props || "max" in props))
      add(
        where,
        `${pointer}/x-component-props${segment("min" in props ? "min" : "max")}`,
        "数字输入框不能设 min/max（会不加提示地改掉输入的数），请在校验规则中用 minimum/maximum",
      );
    const decorator = node["x-decorator"];
    if (decorator !== undefined && (typeof decorator !== "string" || !DECORATORS.has(decorator)))
      add(where, `${pointer}/x-decorator`, `不支持的装饰组件“${String(decorator)}”`);
    for (const [key, value] of Object.entries(node)) {
      const at = pointer + segment(key);
      if (key === "properties" && value && typeof value === "object") {
        if (!isRecord(value)) {
          add(where, at, "字段（properties）应为 JSON 对象");
          continue;
        }
        for (const [name, field] of Object.entries(value)) {
          const path = where === "schema" ? name : `${where}.${name}`;
          const fieldAt = at + segment(name);
          if (!FIELD_KEY_PATTERN.test(name)) add(path, fieldAt, `字段名“${name.slice(0, 40)}”应为字母或下划线开头的字母、数字和下划线`);
          else if (OBJECT_MACHINERY.has(name)) add(path, fieldAt, `字段名“${name}”是保留名称，请换一个`);
          if (!isRecord(field)) {
            add(path, fieldAt, "字段定义应为 JSON 对象");
            continue;
          }
          const problem = shapeProblem(field) ?? lengthProblem(field);
          if (problem) add(path, fieldAt + problem.at, problem.message);
          visit(field, path, fieldAt);
        }
      } else visit(value, key === "items" ? where : `${where}.${key}`, at);
    }
  };
  visit(schema, "schema", "");
  return problems;
}

/** The problems by where they are (`path`), the first of each: the API's 422 `fields`. */
export function formSchemaProblems(schema: unknown, options: FormCheckOptions): Record<string, string> {
  // No prototype: a path such as "__proto__" or "constructor" is a key like any other.
  const fields = Object.create(null) as Record<string, string>;
  for (const { path, message } of formSchemaIssues(schema, options)) if (!(path in fields)) fields[path] = message;
  return fields;
}
