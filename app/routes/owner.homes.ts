import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { homeFinder } from "~/server/claims/owner-page.server";
import { handleAction } from "~/server/http/remix.server";

// The owners' home finder, one step at a time (小区, searched by name → 楼栋 → 房号 → 保险责任): public, no account.
export async function loader({ request }: LoaderFunctionArgs) {
  // An empty choice is no choice; an empty search (q=) is the first communities by name.
  const chosen = Object.fromEntries(
    [...new URL(request.url).searchParams].filter(([key, value]) => key !== "_data" && (value !== "" || key === "q")),
  );
  return handleAction(async () => json(await homeFinder(chosen)));
}
