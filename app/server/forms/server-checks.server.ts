import type { Tx } from "@db/client";
import type { Actor } from "../auth/actor";
import type { FieldErrors } from "../errors.server";

// Checks a form may ask the server to run on a submission beside its schema (the register: a
// number already taken, a party the platform does not have), named in the schema's
// "x-server-checks". A schema names them; the code is here, registered at the app's start
// (composition.server.ts). The task's completion runs them with the schema's rules, so a submission
// hears every error at once.

export interface SubmissionCheckContext {
  tx: Tx;
  actor: Actor;
  /** The business object the task's flow is about (a project's id). */
  businessKey: string;
  /** The submission reduced to the form's fields; it may still break the form's own rules. */
  values: Record<string, unknown>;
}

export interface SubmissionCheck {
  /** Chinese name, for the form editor and deploy messages. */
  label: string;
  /** What is wrong, by field path; read-only. */
  run(ctx: SubmissionCheckContext): Promise<FieldErrors>;
}

const registry = new Map<string, SubmissionCheck>();

export function registerSubmissionChecks(checks: Record<string, SubmissionCheck>): void {
  for (const [name, check] of Object.entries(checks)) registry.set(name, check);
}

export function submissionCheckNames(): string[] {
  return [...registry.keys()].sort();
}

/** The registered checks with their Chinese names, for the form editor. */
export function submissionCheckInfo(): { name: string; label: string }[] {
  return submissionCheckNames().map((name) => ({ name, label: registry.get(name)!.label }));
}

/** The checks a schema names ("x-server-checks"), run in order; a field keeps its first message. */
export async function runSubmissionChecks(schema: { "x-server-checks"?: unknown }, ctx: SubmissionCheckContext): Promise<FieldErrors> {
  const names = Array.isArray(schema["x-server-checks"]) ? (schema["x-server-checks"] as unknown[]) : [];
  const errors: FieldErrors = {};
  for (const name of names) {
    const check = typeof name === "string" ? registry.get(name) : undefined;
    // Deploying refuses an unknown name: one here means the platform lost a check it had.
    if (!check) throw new Error(`submission check ${String(name)} is not registered`);
    for (const [field, message] of Object.entries(await check.run(ctx))) errors[field] ??= message;
  }
  return errors;
}
