import { unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { ValidationError } from "../errors.server";

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * The file of a multipart upload (field `file`), refused on that field (422) when the body is over
 * `maxBytes`: judged by its declared length before any of it is parsed, then while it is parsed.
 */
export async function readUploadedFile(request: Request, maxBytes: number): Promise<UploadedFile> {
  const tooLarge = `文件超过 ${Math.round(maxBytes / 1024 / 1024)}MB 的上限`;
  if (Number(request.headers.get("Content-Length") ?? 0) > maxBytes + 64 * 1024) {
    // Read the body to its end without keeping it (the edge caps its size), so the client can
    // finish sending and then reads the message, instead of seeing a broken connection.
    if (request.body) for await (const _ of request.body);
    throw new ValidationError({ file: tooLarge }, tooLarge);
  }
  const form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: maxBytes })).catch(() => {
    throw new ValidationError({ file: `${tooLarge}，或上传格式不正确` });
  });
  const file = form.get("file");
  if (!(file instanceof Blob)) throw new ValidationError({ file: "请选择要上传的文件" });
  return { name: (file as File).name ?? "", bytes: new Uint8Array(await file.arrayBuffer()) };
}
