import { json, type ActionFunctionArgs } from "@remix-run/node";
import { converse, takeNotices } from "../../bots/conversation";
import { CHAT_BODY_LIMIT, CHAT_TOO_LONG, chatKeyIn, readChatMessage, webChatOf } from "../../bots/web-chat";
import { clientIp } from "~/server/auth/session.server";
import { handleAction } from "~/server/http/remix.server";

// POST a chat message of the owners' web chat ({start: true} | {text} | {choice}): the replies.
// {poll: true}: only the notices kept for the chat since its last answer (its claims' progress).
// The edge answers any other method (methods.server.ts).
export async function action({ request, context }: ActionFunctionArgs) {
  return handleAction(async () => {
    if (Number(request.headers.get("Content-Length") ?? 0) > CHAT_BODY_LIMIT) {
      return json({ ok: false, message: CHAT_TOO_LONG, fields: { body: CHAT_TOO_LONG } }, { status: 413 });
    }
    const input = await readChatMessage(request);
    if (input.kind === "poll") {
      const key = chatKeyIn(request);
      return json({ ok: true, replies: key ? await takeNotices(key) : [] });
    }
    const ip = clientIp(context);
    const chat = await webChatOf(request, ip);
    const replies = await converse("web", chat.key, input, { address: ip });
    return json({ ok: true, replies }, { headers: chat.setCookie ? { "Set-Cookie": chat.setCookie } : {} });
  });
}
