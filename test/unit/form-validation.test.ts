import { createForm } from "@formily/core";
import { Schema } from "@formily/json-schema";
import { describe, expect, it } from "vitest";
import { validateSubmissionAgainst } from "~/server/forms/validate.server";
import { fieldRules } from "~/shared/field-rules";

const schema = {
  type: "object" as const,
  properties: {
    phone: { type: "string", title: "联系电话", "x-validator": [{ format: "phone", message: "联系电话格式不正确" }] },
    code: { type: "string", title: "信用代码", "x-validator": [{ creditCode: true }] },
    permit: {
      type: "string",
      title: "报建号",
      required: true,
      "x-validator": [{ pattern: "^KM-\\d{4}-\\d{3}$", message: "报建号格式应为 KM-年份-序号" }],
    },
    area: {
      type: "number",
      title: "建筑面积",
      "x-validator": [{ minimum: 1, maximum: 1000000, message: "建筑面积应在1至1000000平方米之间" }],
    },
    party: { type: "object", properties: { name: { type: "string", title: "单位名称", required: true } } },
  },
};

describe("validating a submission against its form schema", () => {
  it("applies formats, patterns, ranges, shared rules and nested required fields, in Chinese", async () => {
    const { errors } = await validateSubmissionAgainst(schema, {
      phone: "12345",
      code: "91350100M000100Y44",
      permit: "2026-1",
      area: 0,
      party: {},
    });
    expect(errors).toEqual({
      phone: "联系电话格式不正确",
      code: "统一社会信用代码校验位错误，请核对后重新输入",
      permit: "报建号格式应为 KM-年份-序号",
      area: "建筑面积应在1至1000000平方米之间",
      "party.name": "请填写“单位名称”",
    });
  });

  it("accepts good values and keeps only declared fields", async () => {
    const { errors, values } = await validateSubmissionAgainst(schema, {
      phone: "13812345678",
      code: "91350100M000100Y43",
      permit: "KM-2026-001",
      area: 12000,
      party: { name: "昆明滇池湾置业有限公司", extra: 1 },
      injected: "x",
    });
    expect(errors).toEqual({});
    expect(values).toEqual({
      phone: "13812345678",
      code: "91350100M000100Y43",
      permit: "KM-2026-001",
      area: 12000,
      party: { name: "昆明滇池湾置业有限公司" },
    });
  });
});

describe("text lengths and file fields, in the page's words", () => {
  const report = {
    type: "object" as const,
    properties: {
      description: { type: "string", title: "问题描述", "x-component": "Input.TextArea", maxLength: 10 },
      photos: { type: "array", title: "整改后照片", "x-component": "Attachments", required: true },
    },
  };
  const photo = { id: "6f1c7a52-8a0e-4a8b-9d55-1b0b9c3e2f10", name: "整改后.png", size: 68 };

  it("refuses text over its maxLength with the limit, and keeps text within it whole (an emoji is one character)", async () => {
    const over = await validateSubmissionAgainst(report, { description: "渗".repeat(11), photos: [photo] });
    expect(over.errors).toEqual({ description: "问题描述不能超过10个字" });
    const within = "地下室外墙渗水😀😀😀";
    const fits = await validateSubmissionAgainst(report, { description: within, photos: [photo] });
    expect(fits.errors).toEqual({});
    expect(fits.values.description).toBe(within);
  });

  it("asks for an upload where a required file field is empty", async () => {
    expect((await validateSubmissionAgainst(report, { description: "渗水", photos: [] })).errors).toEqual({ photos: "请上传“整改后照片”" });
  });

  it("asks for a date or an option to be chosen (请选择), text to be typed (请填写)", async () => {
    const chosen = {
      type: "object" as const,
      properties: {
        rectifiedOn: { type: "string", title: "整改完成日期", "x-component": "DatePicker", required: true },
        part: { type: "string", title: "缺陷部位", "x-component": "Select", enum: ["roof"], required: true },
        decision: { type: "string", title: "复核结论", "x-component": "Radio.Group", enum: ["close"], required: true },
        measures: { type: "string", title: "整改措施", "x-component": "Input.TextArea", required: true },
      },
    };
    expect((await validateSubmissionAgainst(chosen, {})).errors).toEqual({
      rectifiedOn: "请选择“整改完成日期”",
      part: "请选择“缺陷部位”",
      decision: "请选择“复核结论”",
      measures: "请填写“整改措施”",
    });
  });
});

describe("layout containers and lists", () => {
  const nested = {
    type: "object" as const,
    properties: {
      grid: { type: "void", properties: { title: { type: "string", title: "标题", required: true } } },
      shares: {
        type: "array",
        title: "份额",
        required: true,
        items: {
          type: "object",
          properties: {
            row: {
              type: "void",
              properties: { code: { type: "string", title: "代码", required: true }, share: { type: "number", title: "份额" } },
            },
          },
        },
      },
    },
  };

  it("validates fields inside layout containers and inside each list item", async () => {
    const { errors, values } = await validateSubmissionAgainst(nested, {
      title: "",
      shares: [{ code: "A", share: 60 }, { share: "四十" }],
    });
    expect(errors).toEqual({ title: "请填写“标题”", "shares.1.code": "请填写“代码”", "shares.1.share": "“份额”应为数字" });
    expect(values.shares).toEqual([{ code: "A", share: 60 }, {}]);
  });

  it("requires at least one item in a required list", async () => {
    const { errors } = await validateSubmissionAgainst(nested, { title: "有", shares: [] });
    expect(errors).toEqual({ shares: "请至少填写一项“份额”" });
  });
});

describe("a field's pattern, judged on the server as on the page", () => {
  const permit = (extra: Record<string, unknown>) => ({
    type: "object" as const,
    properties: { permit: { type: "string", title: "报建号", maxLength: 2000, pattern: "^KM-\\d{4}-\\d{3}$", ...extra } },
  });

  it("refuses text not matching the field's own pattern keyword, in the platform's words or the x-validator's", async () => {
    expect((await validateSubmissionAgainst(permit({}), { permit: "2026-1" })).errors).toEqual({ permit: "“报建号”格式不正确" });
    expect((await validateSubmissionAgainst(permit({}), { permit: "KM-2026-001" })).errors).toEqual({});
    const worded = permit({ "x-validator": [{ pattern: "^KM-\\d{4}-\\d{3}$", message: "报建号格式应为 KM-年份-序号" }] });
    expect((await validateSubmissionAgainst(worded, { permit: "KM-26-1" })).errors).toEqual({ permit: "报建号格式应为 KM-年份-序号" });
    const unworded = {
      type: "object" as const,
      properties: { name: { type: "string", title: "姓名", "x-validator": { pattern: "^[\\u4e00-\\u9fa5]+$" } } },
    };
    expect((await validateSubmissionAgainst(unworded, { name: "Li" })).errors).toEqual({ name: "“姓名”格式不正确" });
    expect((await validateSubmissionAgainst(unworded, { name: "李雷" })).errors).toEqual({});
  });

  it("is what the page's Formily field says too, once, as FormilyForm gives it its rules", async () => {
    const node = permit({}).properties.permit;
    const field = createForm().createField({
      ...(new Schema({ ...node, "x-validator": fieldRules(node) }).toFieldProps() as object),
      name: "permit",
    });
    await field.onInput("2026-1").catch(() => undefined);
    expect(field.selfErrors).toEqual(["“报建号”格式不正确"]);
    await field.onInput("KM-2026-001");
    expect(field.selfErrors).toEqual([]);
  });

  it("judges a pattern published before such patterns were refused as it did, and never fails on one that is none", async () => {
    const legacy = (pattern: string) => ({
      type: "object" as const,
      properties: { code: { type: "string", title: "代码", maxLength: 10, pattern } },
    });
    expect((await validateSubmissionAgainst(legacy("^(\\w)\\1$"), { code: "ab" })).errors).toEqual({ code: "“代码”格式不正确" });
    expect((await validateSubmissionAgainst(legacy("^(\\w)\\1$"), { code: "aa" })).errors).toEqual({});
    expect((await validateSubmissionAgainst(legacy("([a-z]"), { code: "ab" })).errors).toEqual({});
  });

  it("judges a pattern in time linear in the text, and refuses text longer than a pattern judges", async () => {
    // (a|a)*$ backtracks for minutes in a JavaScript RegExp on thirty a's and a "!".
    const stalling = {
      type: "object" as const,
      properties: { code: { type: "string", title: "代码", maxLength: 5000, pattern: "^(a|a)*$" } },
    };
    const started = Date.now();
    expect((await validateSubmissionAgainst(stalling, { code: `${"a".repeat(40)}!` })).errors).toEqual({ code: "“代码”格式不正确" });
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await validateSubmissionAgainst(stalling, { code: "a".repeat(1001) })).errors).toEqual({ code: "代码不能超过1000个字" });
  });

  it("judges Formily's built-in formats in linear time, with the page's message", async () => {
    const form = {
      type: "object" as const,
      properties: {
        amount: { type: "string", title: "金额", "x-validator": [{ format: "money" }] },
        site: { type: "string", title: "网址", maxLength: 100000, "x-validator": "url" },
      },
    };
    const started = Date.now();
    const evil = await validateSubmissionAgainst(form, { amount: `${"1".repeat(28)}!`, site: `http://${"a".repeat(900)}!` });
    expect(evil.errors).toEqual({ amount: "该字段不是有效货币格式", site: "该字段不是合法的url" });
    expect((await validateSubmissionAgainst(form, { site: `http://${"a-".repeat(20000)}` })).errors).toEqual({
      site: "网址不能超过1000个字",
    });
    expect(Date.now() - started).toBeLessThan(1000);
    const good = await validateSubmissionAgainst(form, { amount: "￥1,234.50", site: "https://www.km.gov.cn/a?b=1" });
    expect(good.errors).toEqual({});
    expect((await validateSubmissionAgainst(form, { site: "http://192.168.1.2/x" })).errors).toEqual({ site: "该字段不是合法的url" });
  });
});
