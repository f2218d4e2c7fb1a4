import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { homeFinder } from "~/server/claims/owner-page.server";
import { handleAction } from "~/server/http/remix.server";

// The owners' home finder, one step at a time (小区 → 楼栋 → 房号 → 保险责任): public, no account.
export async function loader({ request }: LoaderFunctionArgs) {
  const chosen = Object.fromEntries([...new URL(request.url).searchParams].filter(([key, value]) => key !== "_data" && value !== ""));
  return handleAction(async () => json(await homeFinder(chosen)));
}
