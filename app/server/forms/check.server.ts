import { formSchemaProblems as problemsOf } from "~/shared/form-check";
import type { FieldErrors } from "../errors.server";
import { submissionCheckNames } from "./server-checks.server";

// The deploy check of a form schema on the server: the form editor runs the very same code
// (app/shared/form-check.ts) in the browser, with the server checks the platform has registered.

/** What is wrong with a form schema before it may be deployed, by where it is ("schema" for the whole, else the field's path). */
export function formSchemaProblems(schema: unknown): FieldErrors {
  return problemsOf(schema, { serverChecks: submissionCheckNames() });
}
