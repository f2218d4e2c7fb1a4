import { creditCodeCheckCharacter } from "./credit-code";
import { patternSample } from "./pattern-sample";

// A plausible submission of a form, for the dry run's samples (试运行): every field filled with a
// value of its type that the form's rules accept, so that a first run needs no typing. The server
// still judges it (dry-run.server.ts checks samples as real submissions).

interface Field {
  type?: string;
  title?: string;
  default?: unknown;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  required?: boolean;
  "x-component"?: string;
  "x-validator"?: unknown;
  properties?: Record<string, Field>;
  items?: Field;
}

const FORMAT_SAMPLES: Record<string, string> = {
  email: "demo@example.com",
  url: "https://example.com",
  phone: "13800000000",
  zip: "650000",
  qq: "10001",
  money: "100",
  number: "1",
  integer: "1",
  zh: "示例",
  ipv4: "127.0.0.1",
  ipv6: "::1",
};

/** A valid 统一社会信用代码 (its check character computed): a Kunming company's shape. */
const CREDIT_CODE = (() => {
  const first17 = "91530100MA6K00001";
  return first17 + creditCodeCheckCharacter(first17);
})();

const rulesOf = (field: Field): Record<string, unknown>[] =>
  [field["x-validator"]].flat().filter((r): r is Record<string, unknown> => typeof r === "object" && r !== null);
const ruleValue = (field: Field, name: string) => rulesOf(field).find((r) => name in r)?.[name];
const firstOption = (field: Field) => {
  const first = field.enum![0];
  return typeof first === "object" && first !== null ? (first as { value: unknown }).value : first;
};
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

function number(field: Field): number {
  const num = (name: string) => {
    const value = field[name as "minimum"] ?? ruleValue(field, name);
    return typeof value === "number" ? value : undefined;
  };
  const low = num("minimum") ?? num("min") ?? (num("exclusiveMinimum") !== undefined ? num("exclusiveMinimum")! + 1 : undefined);
  const high = num("maximum") ?? num("max") ?? (num("exclusiveMaximum") !== undefined ? num("exclusiveMaximum")! - 1 : undefined);
  const value = low ?? (high !== undefined && high < 100 ? high : 100);
  return field.type === "integer" ? Math.ceil(value) : value;
}

function text(field: Field, day: string): string | undefined {
  if (field["x-component"]?.startsWith("DatePicker")) return day;
  if (field["x-component"] === "OrganisationCode" || ruleValue(field, "creditCode")) return CREDIT_CODE;
  // A pattern: a text that matches it when it is a simple one; otherwise a field that may stay
  // empty is left out (the administrator types it), and a required one gets the plain sample.
  const pattern = field.pattern ?? (typeof ruleValue(field, "pattern") === "string" ? (ruleValue(field, "pattern") as string) : undefined);
  if (pattern) {
    const sample = patternSample(pattern);
    if (sample !== null) return sample;
    if (!field.required) return undefined;
  }
  const format = field.format ?? (typeof ruleValue(field, "format") === "string" ? (ruleValue(field, "format") as string) : undefined);
  if (format && FORMAT_SAMPLES[format]) return FORMAT_SAMPLES[format];
  const base = `示例${field.title ?? ""}`;
  const max = field.maxLength ?? (ruleValue(field, "maxLength") as number | undefined) ?? base.length;
  const min = field.minLength ?? (ruleValue(field, "minLength") as number | undefined) ?? 0;
  return base.padEnd(min, "。").slice(0, Math.max(1, max));
}

function value(field: Field, day: string): unknown {
  if (field.default !== undefined && field.type !== "object" && field.type !== "array") return field.default;
  if (field.enum?.length) return field.type === "array" ? [firstOption(field)] : firstOption(field);
  switch (field.type) {
    case "number":
    case "integer":
      return number(field);
    case "boolean":
      return true;
    case "object":
      return fill(field.properties ?? {}, day);
    case "array":
      // A file the dry run never opens (it checks samples as the form does, not the store).
      if (field["x-component"] === "Attachments") return [{ id: "00000000-0000-4000-8000-000000000000", name: "示例.pdf", size: 1024 }];
      return field.items?.properties ? [fill(field.items.properties, day)] : [];
    default:
      return text(field, day);
  }
}

function fill(properties: Record<string, Field>, day: string, out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [name, field] of Object.entries(properties)) {
    if (field.type === "void") fill(field.properties ?? {}, day, out);
    else {
      const sample = value(field, day);
      if (sample !== undefined) out[name] = sample;
    }
  }
  // The rules that tie a field to others: a later date, a product, a list's total.
  for (const [name, field] of Object.entries(properties)) {
    const after = ruleValue(field, "afterField");
    if (typeof after === "string" && after in out) {
      const other = out[after];
      out[name] = typeof other === "number" ? other + 1 : typeof other === "string" ? addDays(other, 1) : out[name];
    }
    const product = ruleValue(field, "productOf") as { fields?: string[]; divisor?: number } | undefined;
    const factors = product?.fields?.map((f) => out[f]);
    if (factors?.every((f) => typeof f === "number"))
      out[name] = Math.round(((factors as number[]).reduce((a, b) => a * b, 1) / (product!.divisor ?? 1)) * 100) / 100;
    const sum = ruleValue(field, "listSum") as { item?: string; plus?: string[]; equals?: number } | undefined;
    const rows = out[name];
    if (sum?.item && typeof sum.equals === "number" && Array.isArray(rows) && rows.length === 1) {
      // The one row and the fields added to it share the total, half and half.
      const plus = (sum.plus ?? []).filter((f) => typeof out[f] === "number");
      for (const f of plus) out[f] = sum.equals / 2 / plus.length;
      (rows[0] as Record<string, unknown>)[sum.item] = plus.length ? sum.equals / 2 : sum.equals;
    }
  }
  return out;
}

/**
 * A sample submission of a form schema: enum → its first option, a date → `day` (a recent day: one
 * that must come later gets the day after), a number within its bounds, a text within its length.
 */
export function sampleSubmission(schema: { properties?: Record<string, unknown> }, day: string): Record<string, unknown> {
  return fill((schema.properties ?? {}) as Record<string, Field>, day);
}
