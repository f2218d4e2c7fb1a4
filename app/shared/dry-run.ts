// What a dry run (试运行) of a diagram tells, for the server that runs it and the page that shows it
// (app/server/workflow/dry-run.server.ts).

export type DryRunStep =
  | { kind: "task"; elementId: string; name: string; formKey: string; candidateRoles: string[]; dueAt: string | null }
  | { kind: "submit"; elementId: string; name: string; submission: Record<string, unknown> }
  | { kind: "refused"; elementId: string; name: string; fields: Record<string, string> }
  | { kind: "service"; elementId: string; service: string; label: string; answer: Record<string, unknown> }
  | { kind: "timer"; elementId: string; dueAt: string }
  | { kind: "timerFired"; elementId: string }
  | { kind: "end"; elementId: string; name: string | null };

export type DryRunOutcome =
  | { kind: "ended"; end: string | null }
  | { kind: "waiting"; tasks: string[]; timers: string[] }
  | { kind: "refused"; elementId: string }
  | { kind: "failed"; message: string }
  | { kind: "stepLimit" };

export interface DryRunResult {
  /** Elements and sequence flows the run went through, in order (an element once, where first reached). */
  path: { elements: string[]; flows: string[] };
  steps: DryRunStep[];
  outcome: DryRunOutcome;
}
