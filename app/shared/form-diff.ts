// Two versions of a form schema, compared as an administrator reads them: fields added, removed and
// changed, by their path in the form (as the deploy check names them), with what changed in Chinese.
// Also how the editor shows a stored schema: PostgreSQL's jsonb keeps no key order, so a stored
// version carries the fields' order as x-index (forms/registry.server.ts); the editor shows the
// fields in that order without it, and publishing puts it back.

type Node = Record<string, unknown>;
const isRecord = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v);

/** A stored schema as it was written: each level's fields in their x-index order, without x-index. */
export function editableSchema(schema: unknown): unknown {
  if (!isRecord(schema)) return schema;
  const out: Node = { ...schema };
  if (isRecord(schema.properties)) {
    const entries = Object.entries(schema.properties);
    const indexOf = (field: unknown) => (isRecord(field) && typeof field["x-index"] === "number" ? field["x-index"] : Infinity);
    const ordered = entries.map((entry, at) => ({ entry, at })).sort((a, b) => indexOf(a.entry[1]) - indexOf(b.entry[1]) || a.at - b.at);
    out.properties = Object.fromEntries(
      ordered.map(({ entry: [key, field] }) => {
        if (!isRecord(field)) return [key, field];
        const { "x-index": _index, ...rest } = field;
        return [key, editableSchema(rest)];
      }),
    );
  }
  if (isRecord(schema.items)) out.items = editableSchema(schema.items);
  return out;
}

/** JSON with every object's keys sorted, but the fields of `properties` in their order (it is the form's). */
function canonical(value: unknown, ordered = false): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v)).join(",")}]`;
  if (!isRecord(value)) return JSON.stringify(value) ?? "null";
  const keys = ordered ? Object.keys(value) : Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k], k === "properties")}`).join(",")}}`;
}

/** Whether two schemas are the same form: the same fields in the same order, keys written in any order. */
export const sameFormSchema = (a: unknown, b: unknown): boolean => canonical(editableSchema(a)) === canonical(editableSchema(b));

/** What a schema key is called on the compare page. */
export const SCHEMA_KEY_LABELS: Record<string, string> = {
  title: "标题",
  description: "说明",
  type: "类型",
  required: "必填",
  maxLength: "最多字数",
  enum: "可选项",
  default: "默认值",
  "x-component": "组件",
  "x-component-props": "组件属性",
  "x-decorator": "装饰组件",
  "x-decorator-props": "装饰组件属性",
  "x-validator": "校验规则",
  "x-prefill": "预填",
  "x-server-checks": "服务端核对",
  "x-display": "显示方式",
  "x-pattern": "编辑方式",
};

export interface KeyChange {
  key: string;
  label: string;
  /** The values as compact JSON; undefined where the key is absent. */
  before?: string;
  after?: string;
}

export interface FieldDiff {
  kind: "added" | "removed" | "changed";
  /** Where in the form, as the deploy check names it ("amount", "rows.part"). */
  path: string;
  /** The field's title (the newer one's when both have one). */
  title: string;
  /** For a changed field: what changed. */
  changes: KeyChange[];
}

export interface SchemaDiff {
  /** Changes of the form itself (its title, its server checks). */
  form: KeyChange[];
  fields: FieldDiff[];
  /** Whether the fields' order changed. */
  reordered: boolean;
}

const shown = (value: unknown) => {
  if (value === undefined) return undefined;
  const text = canonical(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

/** The keys of a node that differ, but its children (fields of their own) and its x-index. */
function keyChanges(before: Node, after: Node): KeyChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => k !== "properties" && k !== "items" && k !== "x-index",
  );
  return keys
    .filter((k) => canonical(before[k]) !== canonical(after[k]) || k in before !== k in after)
    .map((key) => ({ key, label: SCHEMA_KEY_LABELS[key] ?? key, before: shown(before[key]), after: shown(after[key]) }));
}

/** Every field of a schema by its path, in order (a list's row fields under the list's path). */
function fieldsOf(node: Node, where = "", out = new Map<string, Node>()): Map<string, Node> {
  if (isRecord(node.properties))
    for (const [name, field] of Object.entries(node.properties)) {
      if (!isRecord(field)) continue;
      const path = where ? `${where}.${name}` : name;
      out.set(path, field);
      fieldsOf(field, path, out);
    }
  if (isRecord(node.items)) fieldsOf(node.items, where, out);
  return out;
}

/** What changed from `before` to `after`. */
export function diffFormSchemas(before: unknown, after: unknown): SchemaDiff {
  const a = (isRecord(before) ? editableSchema(before) : {}) as Node;
  const b = (isRecord(after) ? editableSchema(after) : {}) as Node;
  const fieldsA = fieldsOf(a);
  const fieldsB = fieldsOf(b);
  const fields: FieldDiff[] = [];
  const titleOf = (...nodes: (Node | undefined)[]) => String(nodes.find((n) => typeof n?.title === "string")?.title ?? "");
  for (const [path, field] of fieldsB) {
    const old = fieldsA.get(path);
    if (!old) fields.push({ kind: "added", path, title: titleOf(field), changes: [] });
    else {
      const changes = keyChanges(old, field);
      if (changes.length) fields.push({ kind: "changed", path, title: titleOf(field, old), changes });
    }
  }
  for (const [path, field] of fieldsA) if (!fieldsB.has(path)) fields.push({ kind: "removed", path, title: titleOf(field), changes: [] });
  const common = (from: Map<string, Node>, other: Map<string, Node>) => [...from.keys()].filter((k) => other.has(k));
  const reordered = common(fieldsA, fieldsB).join("\n") !== common(fieldsB, fieldsA).join("\n");
  return { form: keyChanges(a, b), fields, reordered };
}
