import type { DialogueInput, DialogueServices, DialogueState, Reply, Step } from "./types";

// What a step's handler answers: where the chat goes and what to say first. The dispatcher then
// shows the new step's prompt, unless the handler said everything itself (quiet).

export interface Transition {
  state: DialogueState;
  say?: Reply[];
  quiet?: boolean;
}

/** The inputs a step sees: start, contact cards and typed commands are dealt with before. */
export type StepInput = Exclude<DialogueInput, { kind: "start" } | { kind: "open" } | { kind: "contact" }>;

export type StepOf<A extends Step["at"]> = Extract<Step, { at: A }>;

export function to(state: DialogueState, step: Step, ...say: Reply[]): Transition {
  return { state: { ...state, step }, say };
}

export function stay(state: DialogueState, ...say: Reply[]): Transition {
  return { state, say };
}

export const text = (t: string): Reply => ({ text: t });

export type Services = DialogueServices;
