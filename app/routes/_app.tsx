import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, isRouteErrorResponse, useLoaderData, useRouteError, useRouteLoaderData } from "@remix-run/react";
import Button from "antd/es/button";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Select from "antd/es/select";
import { AppShell } from "~/components/AppShell";
import { ErrorPage } from "~/components/ErrorPage";
import { StaffProviders, staffLinks } from "~/components/StaffProviders";
import { requireActor } from "~/server/auth/session.server";
import { shellData } from "~/server/http/shell.server";

// The signed-in frame draws with antd: its stylesheet and configuration come with it (decision 042).
export const links = staffLinks;

// The antd components nearly every staff page draws (its forms, search bars, choices and buttons)
// come with the frame, loaded once: moving to another page then loads only what is particular to
// it (the route-change budget, decision 042). Named here, where Remix keeps them in the browser.
export const handle = { staffKit: [Form, Input, Select, Button] };

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json(await shellData(await requireActor(request, context)));
}

export default function SignedIn() {
  const { user, nav, badges, unread } = useLoaderData<typeof loader>();
  return (
    <StaffProviders>
      <AppShell user={user} nav={nav} badges={badges} unread={unread}>
        <Outlet />
      </AppShell>
    </StaffProviders>
  );
}

// A page inside the platform that fails (403, 404, 500) keeps the user's frame and navigation.
export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("routes/_app");
  return (
    <StaffProviders>
      {isRouteErrorResponse(error) ? (
        <ErrorPage status={error.status} shell={data} reason={error.data} />
      ) : (
        <ErrorPage status={500} shell={data} />
      )}
    </StaffProviders>
  );
}
