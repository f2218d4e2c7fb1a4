import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { readAttachment, storedFileName } from "~/server/attachments.server";
import { requireCaller } from "~/server/api/handler.server";
import { NotFoundError } from "~/server/errors.server";
import { downloadResponse } from "~/server/http/download.server";
import { handleLoader } from "~/server/http/remix.server";

// Downloads pass the same scope as the flow the file belongs to (404 otherwise). A browser that
// opened the link is sent to the platform's 404 page, inside its frame, rather than a bare answer.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requireCaller(request, context);
  const { attachment, bytes } = await handleLoader(() =>
    readAttachment(actor, params.id!).catch((error) => {
      if (error instanceof NotFoundError && request.headers.get("Sec-Fetch-Mode") === "navigate")
        throw redirect(`/attachments/${encodeURIComponent(params.id!)}/not-found`);
      throw error;
    }),
  );
  // The name is given the extension of the stored type again: files stored before names were checked keep theirs.
  return downloadResponse(bytes, { name: storedFileName(attachment.fileName, attachment.contentType), type: attachment.contentType });
}
