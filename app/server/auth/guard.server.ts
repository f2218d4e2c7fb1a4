import { can, type Permission } from "~/shared/permissions";
import { ForbiddenError } from "../errors.server";
import type { Actor } from "./actor";

/** Services check permissions themselves too: the API and the bot reach them without a page. */
export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor.roles, permission)) throw new ForbiddenError();
}
