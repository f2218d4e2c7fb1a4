import { CompletionContext } from "@codemirror/autocomplete";
import { json } from "@codemirror/lang-json";
import { ensureSyntaxTree } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { JSONCompletion, stateExtensions } from "codemirror-json-schema";
import { describe, expect, it } from "vitest";
import { FORM_COMPONENTS } from "~/shared/form-components";
import { formJsonSchema } from "~/shared/form-json-schema";

// What the form editor offers as one types (Ctrl+Space), from the generated JSON Schema through
// codemirror-json-schema, as the editor's page wires them (FormSchemaEditor.client.tsx): the
// platform's components, a field's keys, the rules inside a list of rules, the server checks the
// platform has, and the same in fields nested in a list's rows.

const schema = formJsonSchema([{ name: "insurance.policy", label: "共保与再保单位" }]);

/** The labels offered at `|` in `doc`. */
function offered(doc: string): string[] {
  const pos = doc.indexOf("|");
  const state = EditorState.create({ doc: doc.replace("|", ""), extensions: [json(), stateExtensions(schema as never)] });
  ensureSyntaxTree(state, state.doc.length, 5000);
  const result = new JSONCompletion({}).doComplete(new CompletionContext(state, pos, true));
  return Array.isArray(result) ? [] : result.options.map((o) => o.label);
}

describe("the form editor's completion", () => {
  it("offers the components the platform renders and a field's keys", () => {
    expect(offered('{"type":"object","properties":{"a":{"type":"string","x-component":"|"}}}')).toEqual(
      expect.arrayContaining([...FORM_COMPONENTS, "Input.TextArea"]),
    );
    expect(offered('{"type":"object","properties":{"a":{"type":"string","x-|"}}}')).toEqual(
      expect.arrayContaining(["x-component", "x-validator", "x-prefill", "x-component-props"]),
    );
  });

  it("offers rules inside a list of rules, and the server checks the platform has", () => {
    const rules = offered('{"type":"object","properties":{"a":{"x-validator":[{"|"}]}}}');
    expect(rules).toEqual(expect.arrayContaining(["required", "maximum", "requiredWhen", "productOf", "listSum", "message"]));
    expect(rules).not.toContain("validator");
    expect(offered('{"type":"object","x-server-checks":["|"],"properties":{}}')).toEqual(["insurance.policy"]);
  });

  it("offers the same in fields nested in a list's rows", () => {
    expect(
      offered('{"type":"object","properties":{"a":{"type":"array","items":{"type":"object","properties":{"b":{"x-component":"|"}}}}}}'),
    ).toContain("Attachments");
  });
});
