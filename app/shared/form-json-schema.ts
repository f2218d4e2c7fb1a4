import { getValidateFormats, getValidateRules } from "@formily/validator";
import { FIELD_KEY_PATTERN, FIELD_TYPES, RULE_OPTIONS } from "./form-check";
import { FORM_COMPONENTS, FORM_COMPONENT_INFO, FORM_COMPONENT_PARTS, FORM_DECORATORS, type JsonSchemaFragment } from "./form-components";
import { sharedRuleDescriptions } from "./form-rules";

// A JSON Schema (draft-07) of the platform's form schemas, for the form editor's completion and
// marks (codemirror-json-schema). It is generated from the registries the deploy check and the
// page use — the components FormilyForm renders (form-components.ts), Formily's validation rules
// and formats and the platform's own (form-rules.ts), the server checks the platform registered —
// so it cannot offer what the check would refuse. The check (form-check.ts) stays the judge: it
// also refuses what a JSON Schema cannot say (expressions in any text, a text field without
// maxLength, x-prefill below the top level), and the editor marks both.

/** A server check as the page is told of it: its name and what it checks. */
export interface ServerCheckInfo {
  name: string;
  label: string;
}

/** Formily's own rules (@formily/validator) as a schema names them: what each asks, and its parameter. */
const FORMILY_RULES: Record<string, { label: string; parameter: JsonSchemaFragment }> = {
  required: { label: "必填", parameter: { type: "boolean" } },
  maximum: { label: "不大于", parameter: { type: "number" } },
  minimum: { label: "不小于", parameter: { type: "number" } },
  exclusiveMaximum: { label: "小于", parameter: { type: "number" } },
  exclusiveMinimum: { label: "大于", parameter: { type: "number" } },
  max: { label: "不大于（数字）或不长于（文字）", parameter: { type: "number" } },
  min: { label: "不小于（数字）或不短于（文字）", parameter: { type: "number" } },
  maxLength: { label: "最多字数", parameter: { type: "integer", minimum: 1 } },
  minLength: { label: "最少字数", parameter: { type: "integer", minimum: 0 } },
  len: { label: "字数恰为", parameter: { type: "integer", minimum: 0 } },
  maxItems: { label: "最多几项", parameter: { type: "integer", minimum: 0 } },
  minItems: { label: "最少几项", parameter: { type: "integer", minimum: 0 } },
  maxProperties: { label: "最多几个属性", parameter: { type: "integer", minimum: 0 } },
  minProperties: { label: "最少几个属性", parameter: { type: "integer", minimum: 0 } },
  pattern: { label: "符合正则表达式", parameter: { type: "string" } },
  whitespace: { label: "不能只有空格", parameter: { type: "boolean" } },
  enum: { label: "取值为其中之一", parameter: { type: "array" } },
  const: { label: "取值恰为", parameter: {} },
  multipleOf: { label: "为其整数倍", parameter: { type: "number" } },
  uniqueItems: { label: "各项不重复", parameter: { type: "boolean" } },
};

/** Formily's formats (@formily/validator) in words. */
const FORMAT_LABELS: Record<string, string> = {
  url: "网址",
  email: "电子邮箱",
  ipv6: "IPv6 地址",
  ipv4: "IPv4 地址",
  number: "数字",
  integer: "整数",
  qq: "QQ 号",
  phone: "手机号码",
  idcard: "身份证号",
  money: "金额",
  zh: "中文",
  date: "日期",
  zip: "邮政编码",
};

const described = <Name extends string>(names: readonly Name[], labelOf: (name: Name) => string) =>
  names.map((name) => `${name}：${labelOf(name)}`).join("；");

/**
 * How deep fields are described within fields (a grid in a list's rows in a group…): deeper than any
 * built-in form. The levels are written out rather than referenced ($ref), because the editor's
 * completion (json-schema-library) does not step into a field reached through a reference.
 */
export const FIELD_DEPTH = 6;

/** The JSON Schema of a form schema the platform would publish, given the server checks it has. */
export function formJsonSchema(serverChecks: readonly ServerCheckInfo[], depth = FIELD_DEPTH): JsonSchemaFragment {
  const formats = Object.keys(getValidateFormats());
  const shared = sharedRuleDescriptions();
  const sharedNames = new Set(shared.map((r) => r.name));
  // Every rule Formily has registered, but the code hook ("validator") and the platform's own (described by them).
  const formily = Object.keys(getValidateRules()).filter((name) => name !== "validator" && name !== "format" && !sharedNames.has(name));
  const ruleProperties: Record<string, JsonSchemaFragment> = {
    ...Object.fromEntries(
      formily.map((name) => {
        const known = FORMILY_RULES[name];
        return [name, { ...(known?.parameter ?? {}), description: known?.label ?? name }];
      }),
    ),
    ...Object.fromEntries(shared.map((r) => [r.name, { ...r.parameter, description: `平台规则：${r.label}` }])),
    format: { enum: formats, description: `格式：${described(formats, (f) => FORMAT_LABELS[f] ?? f)}` },
    message: { type: "string", description: "不符合时显示的提示（可用 {expected}、{other}、{total}）" },
    triggerType: { enum: ["onInput", "onFocus", "onBlur"], description: "何时校验" },
  };
  for (const option of RULE_OPTIONS) if (!ruleProperties[option]) throw new Error(`rule option ${option} is not described`);
  const rule = { type: "object", properties: ruleProperties, additionalProperties: false, minProperties: 1 };
  const components = [...FORM_COMPONENTS, ...FORM_COMPONENT_PARTS];
  const componentProps = Object.assign({}, ...components.map((c) => FORM_COMPONENT_INFO[c].props ?? {})) as Record<
    string,
    JsonSchemaFragment
  >;

  const fieldKeys: Record<string, JsonSchemaFragment> = {
    type: { enum: [...FIELD_TYPES], description: "值的类型；void 为只排版不取值的容器（栅格、并排）" },
    title: { type: "string", description: "标题（中文）" },
    description: { type: "string", description: "说明" },
    required: { type: "boolean", description: "必填" },
    maxLength: { type: "integer", minimum: 1, description: "最多字数（文字字段必填）" },
    pattern: {
      type: "string",
      maxLength: 200,
      description: "格式：正则表达式，不符合时提示“格式不正确”（或 x-validator 中 pattern 规则的 message）",
    },
    enum: {
      type: "array",
      description: '可选项：值，或 { "label": "中文", "value": "code" }',
      items: {
        anyOf: [
          { type: ["string", "number", "boolean"] },
          {
            type: "object",
            properties: { label: { type: "string", description: "显示的文字" }, value: { description: "保存的值" } },
          },
        ],
      },
    },
    default: { description: "默认值" },
    "x-decorator": { enum: [...FORM_DECORATORS], description: "FormItem：显示标题、必填星号和错误提示" },
    "x-decorator-props": { type: "object", description: "外框（FormItem）的属性" },
    "x-component": {
      enum: components,
      description: described(components, (c) => FORM_COMPONENT_INFO[c].label),
    },
    "x-component-props": { type: "object", properties: componentProps, description: "组件属性" },
    "x-validator": {
      description: "校验规则：一条规则、一个格式名，或它们的列表",
      // One schema rather than anyOf, so completion offers the rules inside a list too: an object is
      // a rule, a list holds rules, a text names a format (which the deploy check judges).
      ...rule,
      type: ["object", "array", "string"],
      items: rule,
    },
    "x-prefill": { type: "string", pattern: FIELD_KEY_PATTERN.source, description: "用前面步骤提交的此字段的值预填（仅最外层字段）" },
    "x-index": { type: "integer", description: "显示顺序" },
    "x-display": { enum: ["visible", "hidden", "none"], description: "显示方式" },
    "x-pattern": { enum: ["editable", "disabled", "readOnly", "readPretty"], description: "编辑方式" },
  };
  const fieldsOf = (field: JsonSchemaFragment): JsonSchemaFragment => ({
    type: "object",
    description: "字段：字段名（字母开头的字母、数字、下划线）对应字段定义",
    propertyNames: { pattern: FIELD_KEY_PATTERN.source },
    additionalProperties: field,
  });
  // The innermost level says nothing of its own fields; each level above holds the one below (shared, not copied).
  let field: JsonSchemaFragment = { type: "object", properties: fieldKeys };
  for (let level = 0; level < depth; level++)
    field = {
      type: "object",
      properties: { ...fieldKeys, properties: fieldsOf(field), items: { ...field, description: "列表每一行的定义（type 为 array 时）" } },
    };

  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "平台表单定义",
    type: "object",
    required: ["type", "properties"],
    properties: {
      type: { const: "object", description: "表单的根总是 object" },
      title: { type: "string", description: "表单名称（如 查勘）" },
      description: { type: "string", description: "表单说明" },
      "x-server-checks": {
        type: "array",
        uniqueItems: true,
        description: `提交时在服务端核对（需查库）：${described(
          serverChecks.map((c) => c.name),
          (name) => serverChecks.find((c) => c.name === name)!.label,
        )}`,
        items: { enum: serverChecks.map((c) => c.name) },
      },
      properties: fieldsOf(field),
    },
  };
}

const TYPE_WORDS: Record<string, string> = {
  string: "文字",
  number: "数字",
  integer: "整数",
  boolean: "是/否",
  object: "对象",
  array: "列表",
  null: "空",
  void: "容器",
};

const joinOr = (items: unknown[]) =>
  items
    .map((i) => `\`${typeof i === "string" ? i : JSON.stringify(i)}\``)
    .join("、")
    .replace(/、([^、]*)$/, " 或 $1");

/**
 * What the form editor's hover says of a value's type, in Chinese (codemirror-json-schema's own
 * words are English: "`string` or `number`", "`enum`: …").
 */
export function hoverTypeInfo(schema: JsonSchemaFragment): string {
  const parts: string[] = [];
  const types = schema.type === undefined ? [] : ([] as unknown[]).concat(schema.type);
  if (types.length) parts.push(`类型：${types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(" 或 ")}`);
  if (Array.isArray(schema.enum)) parts.push(`可选值：${joinOr(schema.enum)}`);
  if ("const" in schema) parts.push(`取值：${joinOr([schema.const])}`);
  if (schema.pattern) parts.push(`须符合：\`${String(schema.pattern)}\``);
  return parts.join("；");
}
