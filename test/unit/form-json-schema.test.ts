import { readdirSync, readFileSync } from "node:fs";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { formSchemaProblems } from "~/shared/form-check";
import { FORM_COMPONENTS, FORM_COMPONENT_PARTS } from "~/shared/form-components";
import { formJsonSchema, hoverTypeInfo } from "~/shared/form-json-schema";
import { submissionCheckInfo } from "~/server/forms/server-checks.server";

// The JSON Schema the form editor completes and marks with is generated from the registries the
// deploy check uses: every built-in form fits it, and it offers no component, rule or server check
// the check would refuse.

type Described = { properties: Record<string, Record<string, unknown>> };
const schema = formJsonSchema(submissionCheckInfo()) as { properties: { properties: { additionalProperties: Described } } };
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const fieldProps = schema.properties.properties.additionalProperties.properties;

describe("the form editor's JSON Schema", () => {
  it("fits every built-in form", () => {
    for (const file of readdirSync("forms").filter((f) => f.endsWith(".json"))) {
      const ok = validate(JSON.parse(readFileSync(`forms/${file}`, "utf8")));
      expect(ok ? [] : validate.errors, file).toEqual([]);
    }
  });

  it("offers the components FormilyForm renders, and marks another", () => {
    expect(fieldProps["x-component"].enum).toEqual([...FORM_COMPONENTS, ...FORM_COMPONENT_PARTS]);
    expect(fieldProps["x-component"].description).toContain("Input.TextArea：多行文字");
    expect(validate({ type: "object", properties: { a: { type: "string", "x-component": "IFrame" } } })).toBe(false);
  });

  it("offers only rules and server checks the deploy check accepts", () => {
    const rule = fieldProps["x-validator"].properties as Record<string, unknown>;
    const names = Object.keys(rule).filter((n) => !["message", "triggerType", "format"].includes(n));
    expect(names).toEqual(expect.arrayContaining(["required", "maximum", "requiredWhen", "productOf", "listSum", "notAfterToday"]));
    expect(names).not.toContain("validator");
    for (const name of names) {
      const problems = formSchemaProblems(
        { type: "object", properties: { a: { type: "number", "x-validator": { [name]: 1 } } } },
        { serverChecks: [] },
      );
      expect(problems.a ?? "", name).not.toMatch(/未知的校验规则/);
    }
    expect(validate({ type: "object", properties: { a: { type: "number", "x-validator": [{ evil: 1 }] } } })).toBe(false);
    expect(validate({ type: "object", "x-server-checks": ["insurance.policy"], properties: {} })).toBe(true);
    expect(validate({ type: "object", "x-server-checks": ["drop.tables"], properties: {} })).toBe(false);
  });
});

describe("the form editor's hover texts", () => {
  /** Every property the JSON Schema describes, by where it is, with the description it has. */
  function descriptions(node: unknown, at: string, seen = new Set<unknown>()): [string, unknown][] {
    if (!node || typeof node !== "object" || seen.has(node)) return [];
    seen.add(node);
    const n = node as Record<string, unknown>;
    const own = Object.entries((n.properties ?? {}) as Record<string, Record<string, unknown>>).flatMap(([key, value]) => [
      [`${at}.${key}`, value.description] as [string, unknown],
      ...descriptions(value, `${at}.${key}`, seen),
    ]);
    const inner = [n.additionalProperties, n.items, ...((n.anyOf as unknown[]) ?? [])].flatMap((c) => descriptions(c, `${at}[]`, seen));
    return [...own, ...inner];
  }

  it("describe every component, rule, parameter and key in Chinese", () => {
    const all = descriptions(schema, "form");
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter(([, d]) => typeof d !== "string" || !/[\u4e00-\u9fff]/.test(d)).map(([at]) => at)).toEqual([]);
    expect(fieldProps["x-validator"].properties).toMatchObject({ format: { description: expect.stringContaining("email：电子邮箱") } });
  });

  it("say a value's type in Chinese, not codemirror-json-schema's English", () => {
    expect(hoverTypeInfo({ type: ["string", "number", "boolean"] })).toBe("类型：文字 或 数字 或 是/否");
    expect(hoverTypeInfo(fieldProps["x-display"])).toBe("可选值：`visible`、`hidden` 或 `none`");
    expect(hoverTypeInfo({ type: "string", pattern: "^a$" })).toBe("类型：文字；须符合：`^a$`");
    expect(hoverTypeInfo({ const: "object" })).toBe("取值：`object`");
  });
});
