import type { Tx } from "@db/client";
import type { Actor } from "../auth/actor";

// The named server functions a diagram may call from a service task
// (`implementation="${environment.services.<name>}"`). Each runs inside the step's transaction.

/** What a service needs to start another flow, inside the step's transaction, as the platform. */
export interface FlowStart {
  key: string;
  title: string;
  businessType?: string;
  businessKey?: string;
  parties?: Record<string, string>;
  variables?: Record<string, unknown>;
}
export type FlowStarter = (input: FlowStart) => Promise<{ id: string }>;

export interface ServiceContext {
  tx: Tx;
  actor: Actor;
  now: Date;
  instance: { id: string; businessType: string; businessKey: string; title: string; parties: Record<string, string> };
  elementId: string;
  /** The element's camunda:properties: the service's parameters as set in the diagram. */
  params: Record<string, string>;
  /** Submissions of the flow's user tasks so far, by task id. */
  output: Record<string, unknown>;
  /** Starts another flow (e.g. risk management once a project is insured), in this step's transaction. */
  startFlow: FlowStarter;
}

export interface WorkflowService {
  /** Chinese name shown in the modeler and in validation messages. */
  label: string;
  run(ctx: ServiceContext): Promise<unknown>;
}

const registry = new Map<string, WorkflowService>();

/** Registers services by name; the app's composition root does it once at start (composition.server.ts). */
export function registerServices(services: Record<string, WorkflowService>): void {
  for (const [name, service] of Object.entries(services)) registry.set(name, service);
}

export function registerService(name: string, service: WorkflowService): void {
  registry.set(name, service);
}

export function workflowService(name: string): WorkflowService | undefined {
  return registry.get(name);
}

export function workflowServiceNames(): string[] {
  return [...registry.keys()].sort();
}

/** The registered services by name with their Chinese names, as the modeler offers them. */
export function workflowServiceList(): { name: string; label: string }[] {
  return workflowServiceNames().map((name) => ({ name, label: registry.get(name)!.label }));
}
