import type { LoaderFunctionArgs } from "@remix-run/node";
import { readAttachment } from "~/server/attachments.server";
import { requireActor } from "~/server/auth/session.server";
import { handleLoader } from "~/server/http/remix.server";

// Downloads pass the same scope as the flow the file belongs to (404 otherwise).
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const { attachment, bytes } = await handleLoader(() => readAttachment(actor, params.id!));
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": attachment.contentType,
      "Content-Length": String(bytes.byteLength),
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
      "Cache-Control": "private, max-age=0",
    },
  });
}
