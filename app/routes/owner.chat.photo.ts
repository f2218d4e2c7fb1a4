import { json, type ActionFunctionArgs } from "@remix-run/node";
import { chatExists, converse, photoOwner } from "../../bots/conversation";
import type { DialogueInput } from "../../bots/dialogue/types";
import { chatKeyIn } from "../../bots/web-chat";
import { maxAttachmentBytes } from "~/server/attachments.server";
import { ownerActor, storeOwnerPhoto } from "~/server/claims/owner-claims.server";
import { ValidationError } from "~/server/errors.server";
import { clientIp } from "~/server/auth/session.server";
import { handleAction } from "~/server/http/remix.server";
import { readUploadedFile } from "~/server/http/upload.server";

// POST a photo (multipart field "photo") to the owners' web chat while it asks for report photos:
// stored as the owner's attachment, then handed to the dialogue like a Telegram photo.
export async function action({ request, context }: ActionFunctionArgs) {
  return handleAction(async () => {
    const key = chatKeyIn(request);
    if (!key || !(await chatExists("web", key))) throw new ValidationError({ photo: "请先在对话中选择“我要报修”" });
    const phone = await photoOwner("web", key);
    const limit = maxAttachmentBytes();
    const tooLarge = `照片太大了，每张不能超过 ${Math.floor(limit / 1024 / 1024)}MB。`;
    if (!phone) return answer(key, { kind: "photo_refused" });
    if (Number(request.headers.get("Content-Length") ?? 0) > limit + 64 * 1024)
      return answer(key, { kind: "photo_refused", reason: tooLarge });
    try {
      const file = await readUploadedFile(request, limit, "photo");
      const photo = await storeOwnerPhoto(ownerActor(phone, "web", clientIp(context)), { name: file.name || "照片", bytes: file.bytes });
      return answer(key, { kind: "photo", photo });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return answer(key, { kind: "photo_refused", reason: Object.values(error.fields ?? {})[0] ?? error.message });
    }
  });
}

async function answer(key: string, input: DialogueInput) {
  return json({ ok: true, replies: await converse("web", key, input) });
}
