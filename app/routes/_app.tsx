import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, isRouteErrorResponse, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { AppShell } from "~/components/AppShell";
import { ErrorPage } from "~/components/ErrorPage";
import { requireActor } from "~/server/auth/session.server";
import { ROLE_LABELS } from "~/shared/labels";
import { can, homePathFor, navFor } from "~/shared/permissions";
import { unreadNotificationCount } from "~/server/notifications/in-app.server";
import { inboxCount } from "~/server/workflow/tasks.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const [todo, unread] = await Promise.all([
    can(actor.roles, "view:inbox") ? inboxCount(actor) : 0,
    unreadNotificationCount(actor.userId!),
  ]);
  return json({
    badges: { inbox: todo } as Record<string, number>,
    unread,
    user: {
      displayName: actor.displayName,
      organisationName: actor.organisationName,
      roleLabels: actor.roles.map((r) => ROLE_LABELS[r]),
    },
    nav: navFor(actor.roles).map(({ key, label, path }) => ({ key, label, path })),
    home: homePathFor(actor.roles),
  });
}

export default function SignedIn() {
  const { user, nav, badges, unread } = useLoaderData<typeof loader>();
  return (
    <AppShell user={user} nav={nav} badges={badges} unread={unread}>
      <Outlet />
    </AppShell>
  );
}

// A page inside the platform that fails (403, 404, 500) keeps the user's frame and navigation.
export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("routes/_app");
  const page = <ErrorPage status={isRouteErrorResponse(error) ? error.status : 500} home={data?.home} />;
  return data ? (
    <AppShell user={data.user} nav={data.nav} badges={data.badges} unread={data.unread}>
      {page}
    </AppShell>
  ) : (
    page
  );
}
