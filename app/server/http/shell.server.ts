import type { Actor } from "../auth/actor";
import { unreadNotificationCount } from "../notifications/in-app.server";
import { inboxCount } from "../tasks/inbox.server";
import { ROLE_LABELS } from "~/shared/labels";
import { can, homePathFor, navFor } from "~/shared/permissions";

/** What the signed-in frame shows around every page: the user, the role's navigation, the counts. */
export async function shellData(actor: Actor) {
  const [todo, unread] = await Promise.all([
    can(actor.roles, "view:inbox") ? inboxCount(actor) : 0,
    actor.userId ? unreadNotificationCount(actor.userId) : 0,
  ]);
  return {
    badges: { inbox: todo } as Record<string, number>,
    unread,
    user: {
      displayName: actor.displayName,
      organisationName: actor.organisationName,
      roleLabels: actor.roles.map((r) => ROLE_LABELS[r]),
    },
    nav: navFor(actor.roles).map(({ key, label, path }) => ({ key, label, path })),
    home: homePathFor(actor.roles),
  };
}

export type ShellData = Awaited<ReturnType<typeof shellData>>;
