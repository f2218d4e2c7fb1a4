import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { ErrorPage, type ShellProps } from "~/components/ErrorPage";
import { StaffProviders, staffLinks } from "~/components/StaffProviders";
import { currentSession } from "~/server/auth/session.server";
import { shellData } from "~/server/http/shell.server";

// Any path the platform does not have: the Chinese 404 page, inside the frame for a signed-in user
// (this route sits outside the signed-in layout, so it brings the frame's data with the 404).
export const links = staffLinks;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await currentSession(request, context);
  throw json({ shell: session ? await shellData(session.actor) : null }, { status: 404 });
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const shell = isRouteErrorResponse(error) ? (error.data as { shell?: ShellProps | null } | null)?.shell : null;
  return (
    <StaffProviders>
      <ErrorPage status={isRouteErrorResponse(error) ? error.status : 500} shell={shell} />
    </StaffProviders>
  );
}
