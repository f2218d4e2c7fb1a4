import type { Executor, Tx } from "@db/client";
import type { BusinessSummary } from "~/shared/business-summary";
import type { Actor } from "../auth/actor";

// The business objects flows are about (a project; later a risk event, a claim). Only their own
// services create them; a flow started by a user may attach to an existing one only when the
// object's type says this user may act on it (docs/architecture.md rule 6).
export interface BusinessObjectType {
  /** Chinese name, for messages. */
  label: string;
  /**
   * The object's key as stored (one spelling of it: flows are found by it), once `actor` is known
   * to be allowed to start a flow of `processKey` about it; the object stays locked until the
   * transaction ends, so flows about it start one at a time. Throws a ValidationError (422) for a
   * malformed or unknown key, a NotFoundError (404) for one outside what the actor may act on, a
   * ConflictError (409) when the object is not in a state that flow can start from.
   */
  attach(tx: Tx, actor: Actor, key: string, processKey: string): Promise<string>;
  /**
   * The object as the pages of its flows show it above their steps, read through its own scope:
   * null when it does not exist (yet) or `actor` may not see it.
   */
  summary?(actor: Actor, key: string): Promise<BusinessSummary | null>;
  /** The object's page, where a notification about it leads (otherwise the flow's page). */
  pagePath?(key: string): string;
  /**
   * What the object holds that its flows' forms compare with (`"$flow.reportedOn"` in a rule): the
   * same facts go to the task's page and to the validation of its submission. Empty when the
   * object does not exist (yet).
   */
  facts?(ex: Executor, key: string): Promise<FlowFacts>;
}

/** Dates (YYYY-MM-DD) and numbers of a business object, by name; a fact not known is left out. */
export type FlowFacts = Record<string, string | number>;

const types = new Map<string, BusinessObjectType>();

/** Registered once at the app's start (composition.server.ts). */
export function registerBusinessObjects(objects: Record<string, BusinessObjectType>): void {
  for (const [name, type] of Object.entries(objects)) types.set(name, type);
}

export function businessObjectType(name: string): BusinessObjectType | undefined {
  return types.get(name);
}

/** The facts of a flow's business object its forms' rules may read (none when its type has none). */
export async function flowFacts(ex: Executor, type: string, key: string): Promise<FlowFacts> {
  return (await types.get(type)?.facts?.(ex, key)) ?? {};
}

/** The summary card of a flow's business object, if its type has one and `actor` may see the object. */
export async function businessSummary(actor: Actor, type: string, key: string): Promise<BusinessSummary | null> {
  return (await types.get(type)?.summary?.(actor, key)) ?? null;
}
