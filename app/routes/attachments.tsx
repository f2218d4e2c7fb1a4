import { json, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, type ActionFunctionArgs } from "@remix-run/node";
import { maxAttachmentBytes, storeAttachment } from "~/server/attachments.server";
import { requireActor } from "~/server/auth/session.server";
import { ValidationError } from "~/server/errors.server";
import { handleAction } from "~/server/http/remix.server";

// POST a file (multipart field "file"): the reference to put in a form's file field.
export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  const limit = maxAttachmentBytes();
  const tooLarge = `文件超过 ${Math.round(limit / 1024 / 1024)}MB 的上限`;
  if (Number(request.headers.get("Content-Length") ?? 0) > limit + 64 * 1024) {
    // Read the body to its end without keeping it (the server caps its size), so the client can
    // finish sending and then reads the message, instead of seeing a broken connection.
    if (request.body) for await (const _ of request.body);
    return json({ ok: false, message: tooLarge, fields: { file: tooLarge } }, { status: 422 });
  }
  return handleAction(async () => {
    const form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: limit })).catch(() => {
      throw new ValidationError({ file: `${tooLarge}，或上传格式不正确` });
    });
    const file = form.get("file");
    if (!(file instanceof Blob)) throw new ValidationError({ file: "请选择要上传的文件" });
    const ref = await storeAttachment(actor, { name: (file as File).name ?? "附件", bytes: new Uint8Array(await file.arrayBuffer()) });
    return json(ref);
  });
}
