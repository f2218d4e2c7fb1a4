import { json, type ActionFunctionArgs } from "@remix-run/node";
import { maxAttachmentBytes, storeAttachment } from "~/server/attachments.server";
import { requireCaller } from "~/server/api/handler.server";
import { handleAction } from "~/server/http/remix.server";
import { readUploadedFile } from "~/server/http/upload.server";

// POST a file (multipart field "file"): the reference to put in a form's file field.
export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireCaller(request, context);
  return handleAction(async () => {
    const file = await readUploadedFile(request, maxAttachmentBytes());
    return json(await storeAttachment(actor, { name: file.name || "附件", bytes: file.bytes }));
  });
}
