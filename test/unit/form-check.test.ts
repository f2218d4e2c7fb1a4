import { readdirSync, readFileSync } from "node:fs";
import { Schema } from "@formily/json-schema";
import { describe, expect, it } from "vitest";
import { formSchemaProblems } from "~/server/forms/check.server";
import "~/shared/form-rules";

const field = (extra: Record<string, unknown>) => ({
  type: "object",
  properties: { amount: { type: "number", title: "金额", "x-decorator": "FormItem", "x-component": "NumberPicker", ...extra } },
});

/** A form whose one field is a list with these fields in each row. */
const inRows = (row: Record<string, unknown>) => ({
  type: "object",
  properties: { rows: { type: "array", items: { type: "object", properties: row } } },
});

describe("a form schema is data, never code", () => {
  it("every built-in form passes the deploy check", () => {
    for (const file of readdirSync("forms").filter((f) => f.endsWith(".json"))) {
      expect(formSchemaProblems(JSON.parse(readFileSync(`forms/${file}`, "utf8"))), file).toEqual({});
    }
  });

  it("refuses expressions, reactions and components the platform does not render, naming the field", () => {
    expect(formSchemaProblems(field({ title: "{{fetch('/api/v1/session')}}" }))).toEqual({
      "amount.title": "表单中不允许表达式“{{fetch('/api/v1/session')}}”",
    });
    expect(formSchemaProblems(field({ "x-reactions": { dependencies: ["x"] } }))).toEqual({
      amount: "表单中不允许联动脚本（x-reactions），请使用平台提供的校验规则",
    });
    expect(formSchemaProblems(field({ "x-component": "IFrame" }))).toEqual({ amount: "不支持的组件“IFrame”" });
    expect(formSchemaProblems(field({ "x-decorator": "Editable" }))).toEqual({ amount: "不支持的装饰组件“Editable”" });
    expect(formSchemaProblems(inRows({ x: { type: "string", maxLength: 10, "x-visible": "{{false}}" } }))).toEqual({
      "rows.x.x-visible": "表单中不允许表达式“{{false}}”",
    });
    expect(formSchemaProblems([])).toEqual({ schema: "表单定义应为 JSON 对象" });
    expect(formSchemaProblems({ type: "string" })).toEqual({ schema: "表单定义的根应为 type 为 object 且含 properties 的对象" });
  });

  it("refuses a text field that does not say how long it may be; a choice, a date or a credit code is bounded already", () => {
    const text = (extra: Record<string, unknown>) => ({
      type: "object",
      properties: { note: { type: "string", title: "说明", "x-decorator": "FormItem", "x-component": "Input.TextArea", ...extra } },
    });
    expect(formSchemaProblems(text({}))).toEqual({ note: "文字字段“说明”须规定最多字数（maxLength）" });
    for (const wrong of [0, 2.5, "500"])
      expect(formSchemaProblems(text({ maxLength: wrong }))).toEqual({ note: "最多字数（maxLength）应为正整数" });
    expect(formSchemaProblems(text({ maxLength: 500 }))).toEqual({});
    expect(formSchemaProblems(text({ "x-component": "Select", enum: ["甲", "乙"] }))).toEqual({});
    expect(formSchemaProblems(text({ "x-component": "DatePicker" }))).toEqual({});
    expect(formSchemaProblems(text({ "x-component": "OrganisationCode", "x-validator": [{ creditCode: true }] }))).toEqual({});
    // In a list's rows and in layout containers too, named by where the field is.
    expect(formSchemaProblems(inRows({ row: { type: "void", properties: { part: { type: "string", title: "部位" } } } }))).toEqual({
      "rows.row.part": "文字字段“部位”须规定最多字数（maxLength）",
    });
  });

  it("refuses a pattern that could stall a check, is too long, or reads differently in the browser and the server", () => {
    const text = (extra: Record<string, unknown>) => ({
      type: "object",
      properties: { permit: { type: "string", title: "报建号", maxLength: 20, ...extra } },
    });
    expect(formSchemaProblems(text({ pattern: "^KM-\\d{4}-\\d{3}$" }))).toEqual({});
    expect(formSchemaProblems(text({ pattern: "(a+)+$" }))).toEqual({
      permit: "正则表达式（pattern）含嵌套的重复（如 (a+)+），校验长文字时会卡死，请改写",
    });
    expect(formSchemaProblems(text({ "x-validator": [{ pattern: "(\\w)\\1" }] }))).toEqual({
      permit: "正则表达式（pattern）不能含反向引用（\\1）或前后断言（(?=…)、(?<=…)）",
    });
    for (const pattern of ["x{1001}", "a{0,99999}", "(a{1,100}){1,100}$"])
      expect(formSchemaProblems(text({ pattern })), pattern).toEqual({
        permit: "正则表达式（pattern）的重复次数过大（如 {1001} 或嵌套的计数），请改写",
      });
    expect(formSchemaProblems(text({ pattern: "a".repeat(201) }))).toEqual({
      permit: "正则表达式（pattern）过长，不能超过200个字符",
    });
    expect(formSchemaProblems(text({ pattern: "([a-z]" }))).toEqual({ permit: "正则表达式（pattern）写法不正确" });
    expect(formSchemaProblems(text({ pattern: 5 }))).toEqual({ permit: "正则表达式（pattern）应为文字" });
  });

  it("refuses bounds on a number input, which would change a typed -500 to 0 without a word; the rules bound it", () => {
    const refused = { amount: "数字输入框不能设 min/max（会不加提示地改掉输入的数），请在校验规则中用 minimum/maximum" };
    expect(formSchemaProblems(field({ "x-component-props": { min: 0, precision: 2 } }))).toEqual(refused);
    expect(formSchemaProblems(field({ "x-component-props": { max: 100 } }))).toEqual(refused);
    expect(
      formSchemaProblems(field({ "x-component-props": { precision: 2 }, "x-validator": [{ minimum: 0, message: "金额不能为负数" }] })),
    ).toEqual({});
  });

  it("a field prefilled from earlier steps names a field key, and is one of the form's top level", () => {
    expect(formSchemaProblems(field({ "x-prefill": "estimatedCost" }))).toEqual({});
    expect(
      formSchemaProblems({
        type: "object",
        properties: { grid: { type: "void", properties: { cost: { type: "number", "x-prefill": "cost" } } } },
      }),
    ).toEqual({});
    expect(formSchemaProblems(field({ "x-prefill": "a.b" }))).toEqual({ amount: "预填（x-prefill）应为前面步骤的字段名，如 cause" });
    expect(formSchemaProblems(field({ "x-prefill": true }))).toEqual({ amount: "预填（x-prefill）应为前面步骤的字段名，如 cause" });
    expect(
      formSchemaProblems({
        type: "object",
        properties: {
          rows: { type: "array", items: { type: "object", properties: { x: { type: "string", maxLength: 10, "x-prefill": "x" } } } },
        },
      }),
    ).toEqual({ "rows.x": "只有表单最外层的字段可以预填（x-prefill）" });
  });

  it("an expression that reaches Formily anyway stays text instead of running", () => {
    (globalThis as { pwned?: boolean }).pwned = false;
    const compiled = new Schema({ type: "string", title: "{{(globalThis.pwned = true) && '已执行'}}" }).compile();
    expect((globalThis as { pwned?: boolean }).pwned).toBe(false);
    expect(compiled.title).toBe("{{(globalThis.pwned = true) && '已执行'}}");
  });
});
