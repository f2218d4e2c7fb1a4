import { json, type ActionFunctionArgs } from "@remix-run/node";
import { requireSignedIn } from "~/server/auth/session.server";
import { handleAction, readBody } from "~/server/http/remix.server";
import { discardDraft, saveDraft } from "~/server/tasks/drafts.server";

// The task page's draft, saved while the user types: a resource route of its own, called with
// fetch, so that a save every second reloads none of the page's loaders and never resets its form.
// POST { values } keeps the draft; DELETE drops it (放弃草稿); the edge answers any other method
// (methods.server.ts). A draft is read with its task page.
export async function action({ request, context, params }: ActionFunctionArgs) {
  return handleAction(async () => {
    const actor = await requireSignedIn(request, context);
    if (request.method === "DELETE") {
      await discardDraft(actor, params.id!);
      return json({ ok: true as const });
    }
    const { values } = await readBody(request);
    return json({ ok: true as const, ...(await saveDraft(actor, params.id!, values)) });
  });
}
