import type { Tx } from "@db/client";
import type { Actor } from "../auth/actor";

// The business objects flows are about (a project; later a risk event, a claim). Only their own
// services create them; a flow started by a user may attach to an existing one only when the
// object's type says this user may act on it (ARCHITECTURE rule 6).
export interface BusinessObjectType {
  /** Chinese name, for messages. */
  label: string;
  /**
   * Throws unless `actor` may start a flow about the existing object `key`: a ValidationError (422)
   * for a malformed or unknown key, a NotFoundError (404) for one outside what the actor may act on.
   */
  assertAttachable(tx: Tx, actor: Actor, key: string): Promise<void>;
}

const types = new Map<string, BusinessObjectType>();

/** Registered once with the service catalogue (service-catalogue.server.ts). */
export function registerBusinessObjects(objects: Record<string, BusinessObjectType>): void {
  for (const [name, type] of Object.entries(objects)) types.set(name, type);
}

export function businessObjectType(name: string): BusinessObjectType | undefined {
  return types.get(name);
}
