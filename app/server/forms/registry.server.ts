import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

// The built-in form schemas (forms/<form-key>.json). They ship with the code, so they are read
// once per process; admin-edited versions will live in the database beside them.
export const FORMS_DIR = path.resolve(process.cwd(), "forms");

export interface FormSchema {
  type: "object";
  title?: string;
  properties: Record<string, unknown>;
}

let builtIn: Map<string, FormSchema> | undefined;

function builtInForms(): Map<string, FormSchema> {
  if (!builtIn) {
    builtIn = new Map();
    for (const file of readdirSync(FORMS_DIR).filter((f) => f.endsWith(".json")).sort()) {
      builtIn.set(file.slice(0, -".json".length), JSON.parse(readFileSync(path.join(FORMS_DIR, file), "utf8")));
    }
  }
  return builtIn;
}

export function isKnownForm(formKey: string): boolean {
  return builtInForms().has(formKey);
}

export function formSchema(formKey: string): FormSchema | undefined {
  return builtInForms().get(formKey);
}
