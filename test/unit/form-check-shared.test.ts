import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FORM_SCHEMA_MAX_BYTES, formKeyProblem, formSchemaIssues, formSchemaProblems } from "~/shared/form-check";
import { formSchemaProblems as serverProblems } from "~/server/forms/check.server";

// The deploy check as the form editor runs it in the browser (app/shared/form-check.ts): the same
// judgement as the server's, given the server checks the page was told of, and with each problem
// placed in the schema's JSON (a pointer) for the editor's marks.

const CHECKS = { serverChecks: ["insurance.registration"] };
const field = (extra: Record<string, unknown>) => ({
  type: "object",
  properties: { amount: { type: "number", title: "金额", "x-decorator": "FormItem", "x-component": "NumberPicker", ...extra } },
});

describe("the form check shared by the editor and the server", () => {
  it("judges every built-in form as the server does", () => {
    for (const file of ["claim-survey.json", "insurance-registration.json", "insurance-policy.json"]) {
      const schema = JSON.parse(readFileSync(`forms/${file}`, "utf8"));
      expect(formSchemaProblems(schema, { serverChecks: ["insurance.registration", "insurance.policy"] }), file).toEqual({});
    }
    const wrong = { ...field({ "x-component": "IFrame", title: "{{x}}" }), "x-server-checks": ["drop.tables"] };
    expect(formSchemaProblems(wrong, { serverChecks: [] })).toEqual(serverProblems(wrong));
  });

  it("places each problem where it is in the JSON, for the editor's marks", () => {
    const schema = {
      type: "object",
      "x-server-checks": ["insurance.registration", "drop.tables"],
      properties: {
        amount: {
          type: "number",
          title: "金额",
          "x-component": "Slider",
          "x-component-props": { max: 10 },
          "x-validator": [{ minimum: 0 }, { evil: true }],
        },
        rows: {
          type: "array",
          items: { type: "object", properties: { note: { type: "string", title: "说明", default: "{{alert(1)}}", maxLength: 5 } } },
        },
        "a/b": { type: "string", enum: ["甲"] },
      },
    };
    expect(formSchemaIssues(schema, CHECKS)).toEqual([
      { path: "schema", pointer: "/x-server-checks/1", message: "未知的服务端核对“drop.tables”" },
      { path: "amount", pointer: "/properties/amount/x-validator/1/evil", message: "未知的校验规则“evil”" },
      { path: "amount", pointer: "/properties/amount/x-component", message: "不支持的组件“Slider”" },
      { path: "rows.note.default", pointer: "/properties/rows/items/properties/note/default", message: "表单中不允许表达式“{{alert(1)}}”" },
      { path: "a/b", pointer: "/properties/a~1b", message: "字段名“a/b”应为字母或下划线开头的字母、数字和下划线" },
    ]);
  });

  it("refuses keywords of the wrong type, naming the field", () => {
    expect(formSchemaProblems(field({ type: "money" }), CHECKS)).toEqual({
      amount: "字段类型“money”不正确，应为 string、number、boolean、array、object、void 之一",
    });
    expect(formSchemaProblems(field({ title: 5 }), CHECKS)).toEqual({ amount: "标题（title）应为文字" });
    expect(formSchemaProblems(field({ required: "yes" }), CHECKS)).toEqual({ amount: "必填（required）应为 true 或 false" });
    expect(formSchemaProblems(field({ enum: "甲" }), CHECKS)).toEqual({ amount: "可选项（enum）应为列表" });
    expect(formSchemaProblems({ type: "object", properties: { amount: "number" } }, CHECKS)).toEqual({ amount: "字段定义应为 JSON 对象" });
    expect(formSchemaProblems({ type: "object", title: ["甲"], properties: {} }, CHECKS)).toEqual({ schema: "表单名称（title）应为文字" });
    expect(formSchemaProblems({ type: "object", properties: {}, "x-server-checks": "insurance.registration" }, CHECKS)).toEqual({
      schema: "服务端核对（x-server-checks）应为名称的列表",
    });
  });

  it("refuses a field named like an object's own machinery", () => {
    const schema = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string","x-component":"Input","maxLength":10}}}');
    expect(Object.entries(formSchemaProblems(schema, CHECKS))).toEqual([["__proto__", "字段名“__proto__”是保留名称，请换一个"]]);
    expect(
      formSchemaProblems({ type: "object", properties: { constructor: { type: "string", "x-component": "Input", maxLength: 9 } } }, CHECKS),
    ).toEqual({
      constructor: "字段名“constructor”是保留名称，请换一个",
    });
  });

  it("refuses a maxLength no text needs", () => {
    const text = (maxLength: number) => ({ type: "object", properties: { note: { type: "string", title: "说明", maxLength } } });
    expect(formSchemaProblems(text(1e308), CHECKS)).toEqual({ note: "最多字数（maxLength）不能超过100000" });
    expect(formSchemaProblems(text(100_000), CHECKS)).toEqual({});
  });

  it("refuses a schema larger than a form can need", () => {
    const huge = field({ description: "长".repeat(FORM_SCHEMA_MAX_BYTES / 3 + 10) });
    expect(formSchemaProblems(huge, CHECKS)).toEqual({ schema: expect.stringMatching(/^表单定义过大（\d+KB），不能超过256KB$/) });
  });

  it("takes a form key as process keys are written", () => {
    expect(formKeyProblem("claim-survey")).toBeUndefined();
    for (const wrong of ["Claim", "1abc", "a", "a_b", "表单", "a".repeat(64), "a\u0000b"])
      expect(formKeyProblem(wrong), wrong).toMatch(/^表单标识应为小写字母开头/);
    expect(formKeyProblem("")).toBe("请填写表单标识");
    expect(formKeyProblem(12)).toBe("请填写表单标识");
  });
});
