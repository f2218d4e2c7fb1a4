import { json, jsonLanguage } from "@codemirror/lang-json";
import { forceParsing, syntaxTree } from "@codemirror/language";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { hoverTooltip, type EditorView } from "@codemirror/view";
import CodeMirror from "@uiw/react-codemirror";
import { getJsonPointers, jsonCompletion, jsonSchemaHover, stateExtensions } from "codemirror-json-schema";
import type { JSONSchema7 } from "json-schema";
import { Draft07, type JsonError } from "json-schema-library";
import { useMemo } from "react";
import { formSchemaIssues } from "~/shared/form-check";
import type { JsonSchemaFragment } from "~/shared/form-components";
import { hoverTypeInfo } from "~/shared/form-json-schema";

// The form editor's text: CodeMirror 6 with completion and hover from the platform's JSON Schema
// (app/shared/form-json-schema.ts, through codemirror-json-schema), and marks for everything that
// would stop publishing: JSON that does not parse, the deploy check (app/shared/form-check.ts, the
// server's own) and what the JSON Schema refuses, all in Chinese. Browser only (.client): the form
// editor's page loads it with import() after hydration, so CodeMirror is fetched only there.

const MODE = "json4";
export const JSON_SYNTAX_MESSAGE = "JSON 格式错误：请检查逗号、引号和括号是否成对";

/** A JSON Schema error as an administrator reads it. */
function schemaErrorMessage(error: JsonError): string {
  const data = (error.data ?? {}) as Record<string, unknown>;
  const shown = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
  switch (error.code) {
    case "enum-error":
      return `“${shown(data.value)}”不是可选的值，可选：${((data.values as unknown[]) ?? []).map(shown).join("、")}`;
    case "type-error":
      return `类型应为 ${shown(data.expected)}，实为 ${shown(data.received)}`;
    case "required-property-error":
      return `缺少“${shown(data.key)}”`;
    case "no-additional-properties-error":
      return `不认识的键“${shown(data.property)}”`;
    case "const-error":
      return `应为 ${shown(data.expected)}`;
    case "pattern-error":
      return "格式不正确（字段名应为字母或下划线开头的字母、数字和下划线）";
    case "minimum-error":
    case "min-length-error":
    case "min-items-error":
    case "min-properties-error":
      return "值过小或为空";
    case "unique-items-error":
      return "列表中有重复项";
    case "any-of-error":
    case "one-of-error":
      return "不符合任何一种允许的写法";
    default:
      return `不符合平台表单定义（${error.code}）`;
  }
}

/** Where a pointer is in the text: the key (or value) it names, else its nearest parent that has a place. */
function placeOf(view: EditorView, pointer: string, onKey: boolean): { from: number; to: number } {
  const pointers = getJsonPointers(view.state, MODE);
  for (let at = pointer; at; at = at.slice(0, at.lastIndexOf("/"))) {
    const place = pointers.get(at) as { keyFrom: number; keyTo: number; valueFrom?: number; valueTo?: number } | undefined;
    if (!place) continue;
    if (onKey) return { from: place.keyFrom, to: place.keyTo };
    // The value: the largest syntax node that starts after the key's colon (a string, a number, an object…).
    const after = place.keyTo + (/^\s*:\s*/.exec(view.state.sliceDoc(place.keyTo, place.keyTo + 40))?.[0].length ?? 0);
    let node = syntaxTree(view.state).resolveInner(after, 1);
    while (node.parent && node.parent.from === after) node = node.parent;
    return node.from === after && node.to > after ? { from: node.from, to: node.to } : { from: place.keyFrom, to: place.keyTo };
  }
  return { from: 0, to: Math.min(1, view.state.doc.length) };
}

/** Every mark of the text: its syntax, the deploy check's problems, then the JSON Schema's (where the check says nothing). */
function problemsOf(view: EditorView, jsonSchema: JSONSchema7, serverChecks: readonly string[]): Diagnostic[] {
  // The marks are placed on the syntax tree, which the editor parses in the background, a slice at a
  // time: on a busy machine the text just typed may not be parsed yet, and a value's mark would fall
  // back on its key. The text is parsed to its end first (a form's few kilobytes: milliseconds).
  forceParsing(view, view.state.doc.length, 500);
  const text = view.state.doc.toString();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const at = Number(/position (\d+)/.exec(String(error))?.[1] ?? text.length);
    const from = Math.max(0, Math.min(at, text.length - 1));
    return [{ from, to: Math.min(from + 1, text.length), severity: "error", message: JSON_SYNTAX_MESSAGE, source: "JSON" }];
  }
  const issues = formSchemaIssues(value, { serverChecks });
  const diagnostics: Diagnostic[] = issues.map((issue) => ({
    ...placeOf(view, issue.pointer, /x-validator\/\d+\/[^/]+$|\/properties\/[^/]+$/.test(issue.pointer)),
    severity: "error",
    message: issue.message,
    source: "发布检查",
  }));
  const near = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
  for (const error of new Draft07(jsonSchema as never).validate(value)) {
    const pointer = String((error.data as { pointer?: string })?.pointer ?? "#").replace(/^#/, "");
    if (issues.some((i) => near(i.pointer, pointer))) continue;
    diagnostics.push({ ...placeOf(view, pointer, false), severity: "error", message: schemaErrorMessage(error), source: "表单定义" });
  }
  return diagnostics;
}

export interface FormSchemaEditorProps {
  value: string;
  onChange: (text: string) => void;
  jsonSchema: Record<string, unknown>;
  serverChecks: readonly string[];
  readOnly?: boolean;
}

export function FormSchemaEditor({ value, onChange, jsonSchema, serverChecks, readOnly }: FormSchemaEditorProps) {
  const extensions = useMemo(
    () => [
      json(),
      jsonLanguage.data.of({ autocomplete: jsonCompletion() }),
      // The hover's words in Chinese: the JSON Schema's descriptions, and the type in words of ours.
      hoverTooltip(
        jsonSchemaHover({
          getHoverTexts: ({ schema }) => ({
            message: (schema.description as string | undefined) ?? "",
            typeInfo: hoverTypeInfo(schema as JsonSchemaFragment),
          }),
        }),
      ),
      stateExtensions(jsonSchema as JSONSchema7),
      linter((view) => problemsOf(view, jsonSchema as JSONSchema7, serverChecks), { delay: 250 }),
      lintGutter(),
    ],
    [jsonSchema, serverChecks],
  );
  return (
    <CodeMirror
      value={value}
      onChange={onChange}
      extensions={extensions}
      readOnly={readOnly}
      height="70vh"
      basicSetup={{ foldGutter: true, autocompletion: true, bracketMatching: true, closeBrackets: true }}
      aria-label="表单定义（JSON）"
    />
  );
}
