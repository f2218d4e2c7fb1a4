import type { OrganisationType, Role } from "@db/schema/roles";

/** Who is acting: a signed-in user, or the platform itself (seed, scheduler). */
export interface Actor {
  userId: string | null;
  username: string;
  displayName: string;
  organisationId: string | null;
  organisationType: OrganisationType | null;
  organisationName: string | null;
  roles: Role[];
  ip: string | null;
  /** An owner (role owner, no account): the verified phone their units and claims are found by. */
  ownerPhone?: string;
}

export const SYSTEM_ACTOR: Actor = {
  userId: null,
  username: "system",
  displayName: "平台系统",
  organisationId: null,
  organisationType: "platform",
  organisationName: null,
  roles: [],
  ip: null,
};

export function anonymousActor(username: string, ip: string | null): Actor {
  return { ...SYSTEM_ACTOR, username, displayName: username || "匿名", organisationType: null, ip };
}

/**
 * The platform reading the city's figures for the bureau's periodic reports (timer or on demand):
 * the scope function knows this very object and answers it as it answers the bureau, so a
 * report's figures are the city's whoever asked for it. Never signed in, never acts on anything.
 */
export const CITY_FIGURES_READER: Actor = Object.freeze<Actor>({
  ...SYSTEM_ACTOR,
  displayName: "平台系统（定期报告）",
  roles: ["regulator"],
});
