import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireSignedIn } from "~/server/auth/session.server";
import { handleAction, readBody } from "~/server/http/remix.server";
import { discardDraft, saveDraft } from "~/server/tasks/drafts.server";

// The task page's draft, saved while the user types: a resource route of its own, called with
// fetch, so that a save every second reloads none of the page's loaders and never resets its form.
// POST { values } keeps the draft; DELETE drops it (放弃草稿). A draft is read with its task page.
export function loader(_: LoaderFunctionArgs) {
  return json({ ok: false as const, message: "不支持该操作" }, { status: 405, headers: { Allow: "POST, DELETE" } });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  return handleAction(async () => {
    const actor = await requireSignedIn(request, context);
    if (request.method === "DELETE") {
      await discardDraft(actor, params.id!);
      return json({ ok: true as const });
    }
    if (request.method !== "POST") return json({ ok: false as const, message: "不支持该操作" }, { status: 405 });
    const { values } = await readBody(request);
    return json({ ok: true as const, ...(await saveDraft(actor, params.id!, values)) });
  });
}
