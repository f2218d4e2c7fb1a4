import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { readAttachment, storedFileName } from "~/server/attachments.server";
import { requireActor } from "~/server/auth/session.server";
import { NotFoundError } from "~/server/errors.server";
import { downloadResponse } from "~/server/http/download.server";

// Downloads pass the same scope as the flow the file belongs to (404 otherwise). A browser that
// opened the link is sent to sign in first (and back), and to the platform's 404 page, inside its
// frame, rather than a bare answer; a script gets the API's JSON answers.
export async function loader(args: LoaderFunctionArgs) {
  const { request, context, params } = args;
  const opened = request.headers.get("Sec-Fetch-Mode") === "navigate";
  if (opened && !request.headers.get("Authorization")) await requireActor(request, context);
  return runOperation(args, "getAttachment", async ({ actor }) => {
    const { attachment, bytes } = await readAttachment(actor, params.id!).catch((error) => {
      if (error instanceof NotFoundError && opened) throw redirect(`/attachments/${encodeURIComponent(params.id!)}/not-found`);
      throw error;
    });
    // The name is given the extension of the stored type again: files stored before names were checked keep theirs.
    return downloadResponse(bytes, { name: storedFileName(attachment.fileName, attachment.contentType), type: attachment.contentType });
  });
}
