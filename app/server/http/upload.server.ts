import { ValidationError } from "../errors.server";
import { multipartParts } from "./multipart.server";

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

const NOT_MULTIPART = "上传格式不正确，请以 multipart/form-data 上传文件";
/** A name in bytes that are not UTF-8: which characters they meant cannot be known, so nothing is stored under a guess. */
const UNREADABLE_NAME = "文件名含有残缺的编码，无法识别，请重命名后再上传";

/**
 * The file of a multipart upload (field `field`), refused on that field (422) when it is over
 * `maxBytes`: judged by the declared length before anything is parsed, then by the file itself.
 * The edge has already read the body under its limit, so parsing it whole holds nothing more; the
 * parser reads any file name a phone, Windows or an HTTP library gives (=, ;, quotes, emoji, RFC
 * 6266's escaped quotes and filename*).
 */
export async function readUploadedFile(request: Request, maxBytes: number, field = "file"): Promise<UploadedFile> {
  const tooLarge = `文件超过 ${Math.round(maxBytes / 1024 / 1024)}MB 的上限`;
  if (Number(request.headers.get("Content-Length") ?? 0) > maxBytes + 64 * 1024) {
    // Read the body to its end without keeping it (the edge caps its size), so the client can
    // finish sending and then reads the message, instead of seeing a broken connection.
    if (request.body) for await (const _ of request.body);
    throw new ValidationError({ [field]: tooLarge }, tooLarge);
  }
  const parts = multipartParts(new Uint8Array(await request.arrayBuffer()), request.headers.get("Content-Type") ?? "");
  if (!parts) throw new ValidationError({ [field]: NOT_MULTIPART }, NOT_MULTIPART);
  const file = parts.find((part) => part.name === field && (part.filename !== null || part.unreadableName));
  if (!file) throw new ValidationError({ [field]: "请选择要上传的文件" });
  if (file.unreadableName) throw new ValidationError({ [field]: UNREADABLE_NAME }, UNREADABLE_NAME);
  if (file.content.byteLength > maxBytes) throw new ValidationError({ [field]: tooLarge }, tooLarge);
  return { name: file.filename!, bytes: file.content };
}
