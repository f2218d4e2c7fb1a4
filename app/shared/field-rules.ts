// What a form field's own schema keywords ask (required, maxLength), as validation rules with the
// platform's messages: the page's Formily form and the server's validation judge every field by
// fieldRules, so both say the same thing in the same words. Text over its limit is refused with
// this message, in every form and service, never cut (docs/decisions/013).

/** Characters as a reader counts them (an emoji is one), as Formily's length rules count them. */
export const textLength = (text: string): number => [...text].length;

/** The one message for text over its limit. */
export const tooLongMessage = (label: string, max: number): string => `${label}不能超过${max}个字`;

/** What a value not matching its pattern says, where the schema gives no message of its own. */
export const patternMessage = (label: string): string => `“${label}”格式不正确`;

export interface FieldNode {
  title?: string;
  required?: unknown;
  maxLength?: unknown;
  pattern?: unknown;
  "x-component"?: unknown;
  "x-validator"?: unknown;
}

/** Fields whose value is picked (a date, an option), not typed. */
const PICKED = new Set(["DatePicker", "DatePicker.RangePicker", "Select", "Radio.Group", "Checkbox.Group"]);

/** What a required field says when it is left empty: a file field asks for an upload, a date or an option to be chosen. */
export const requiredMessage = (node: FieldNode, label: string): string =>
  node["x-component"] === "Attachments"
    ? `请上传“${label}”`
    : PICKED.has(node["x-component"] as string)
      ? `请选择“${label}”`
      : `请填写“${label}”`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The field's rules: those its keywords imply (required, maxLength, pattern), each with the
 * platform's message unless the schema's x-validator gives that rule itself, then the x-validator's
 * own. A pattern rule without a message says the platform's (格式不正确), not Formily's.
 * `label` names the field where it has no title.
 */
export function fieldRules(node: FieldNode, label = node.title ?? ""): unknown[] {
  const name = node.title ?? label;
  const declared = (node["x-validator"] === undefined ? [] : [node["x-validator"]].flat()).map((d) =>
    isRecord(d) && "pattern" in d && d.message === undefined ? { ...d, message: patternMessage(name) } : d,
  );
  const declares = (rule: string) => declared.some((d) => isRecord(d) && rule in d);
  const implied = [
    ...(node.required === true && !declares("required") ? [{ required: true, message: requiredMessage(node, name) }] : []),
    ...(typeof node.maxLength === "number" && !declares("maxLength")
      ? [{ maxLength: node.maxLength, message: tooLongMessage(name, node.maxLength) }]
      : []),
    ...(typeof node.pattern === "string" && !declares("pattern") ? [{ pattern: node.pattern, message: patternMessage(name) }] : []),
  ];
  return [...implied, ...declared];
}
