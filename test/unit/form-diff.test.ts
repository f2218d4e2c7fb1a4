import { describe, expect, it } from "vitest";
import { diffFormSchemas, editableSchema, sameFormSchema } from "~/shared/form-diff";

// Comparing two versions of a form as the compare page shows them: fields by path, what changed in
// Chinese; and the stored order (x-index) shown as the order of the text.

const v1 = {
  type: "object",
  title: "查勘",
  properties: {
    part: { type: "string", title: "部位", maxLength: 50, required: true },
    rows: { type: "array", items: { type: "object", properties: { note: { type: "string", title: "说明", maxLength: 100 } } } },
    cost: { type: "number", title: "费用" },
  },
};

describe("comparing two versions of a form", () => {
  it("names fields added, removed and changed by path, with what changed", () => {
    const v2 = structuredClone(v1) as any;
    v2.title = "现场查勘";
    v2.properties.part.maxLength = 80;
    delete v2.properties.part.required;
    v2.properties.part["x-component"] = "Input.TextArea";
    delete v2.properties.cost;
    v2.properties.rows.items.properties.photo = { type: "array", title: "照片", "x-component": "Attachments" };
    expect(diffFormSchemas(v1, v2)).toEqual({
      form: [{ key: "title", label: "标题", before: '"查勘"', after: '"现场查勘"' }],
      fields: [
        {
          kind: "changed",
          path: "part",
          title: "部位",
          changes: [
            { key: "maxLength", label: "最多字数", before: "50", after: "80" },
            { key: "required", label: "必填", before: "true", after: undefined },
            { key: "x-component", label: "组件", before: undefined, after: '"Input.TextArea"' },
          ],
        },
        { kind: "added", path: "rows.photo", title: "照片", changes: [] },
        { kind: "removed", path: "cost", title: "费用", changes: [] },
      ],
      reordered: false,
    });
  });

  it("sees the same form in a stored version (x-index, keys in jsonb's order) and notices a new order", () => {
    const stored = {
      properties: {
        cost: { "x-index": 2, type: "number", title: "费用" },
        part: { maxLength: 50, "x-index": 0, type: "string", required: true, title: "部位" },
        rows: { "x-index": 1, type: "array", items: v1.properties.rows.items },
      },
      title: "查勘",
      type: "object",
    };
    expect(Object.keys((editableSchema(stored) as typeof v1).properties)).toEqual(["part", "rows", "cost"]);
    expect(JSON.stringify(editableSchema(stored))).not.toContain("x-index");
    expect(sameFormSchema(stored, v1)).toBe(true);
    expect(diffFormSchemas(stored, v1)).toEqual({ form: [], fields: [], reordered: false });
    const swapped = { ...v1, properties: { cost: v1.properties.cost, part: v1.properties.part, rows: v1.properties.rows } };
    expect(sameFormSchema(swapped, v1)).toBe(false);
    expect(diffFormSchemas(v1, swapped)).toMatchObject({ fields: [], reordered: true });
  });
});
