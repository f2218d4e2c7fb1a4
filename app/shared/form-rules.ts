import { Schema } from "@formily/json-schema";
import { registerValidateRules, setValidateLanguage } from "@formily/validator";
import { creditCodeProblem } from "./credit-code";

// Validation rules a form schema may name in x-validator, beyond Formily's own. They are plain
// functions of this module, registered the same way in the browser and on the server, so a
// submission is judged by the same rules on both sides. A schema can only name them, never add code.
const isEmpty = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

interface RuleContext {
  form?: { values: Record<string, unknown> };
}

registerValidateRules({
  /** { "requiredWhen": { "field": "decision", "equals": "return" }, "message": "…" } */
  requiredWhen(value, rule, ctx: RuleContext) {
    const condition = rule.requiredWhen as unknown as { field: string; equals: unknown };
    const other = condition?.field ? ctx?.form?.values?.[condition.field] : undefined;
    return other === condition?.equals && isEmpty(value) ? (rule.message ?? "此项为必填") : "";
  },
  /** { "creditCode": true }: a valid 统一社会信用代码 */
  creditCode(value, rule) {
    if (isEmpty(value) || !rule.creditCode) return "";
    return creditCodeProblem(String(value)) ?? "";
  },
});

setValidateLanguage("zh-CN");

// Formily evaluates "{{…}}" strings of a schema as JavaScript (new Function). Schemas are data:
// here an expression stays the text it is, in the browser and on the server. Deploying a form
// refuses them outright (forms/check.server.ts); this holds even for a schema that slipped past.
Schema.registerCompiler((expression: string) => `{{${expression}}}`);
