import type { ActionFunctionArgs } from "@remix-run/node";
import { runOperation } from "~/server/api/handler.server";
import { storeAttachment } from "~/server/attachments.server";
import type { UploadedFile } from "~/server/http/upload.server";

// POST a file (multipart field "file"), from a page's file field or an integration with its key:
// the reference to put in a form's file field or a report's photos.
export const action = (args: ActionFunctionArgs) =>
  runOperation<unknown, () => Promise<UploadedFile>>(args, "uploadAttachment", async ({ actor, body }) =>
    storeAttachment(actor, await body()),
  );
