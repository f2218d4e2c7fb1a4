import type { IncomingMessage } from "node:http";
import { env } from "../env.server";

// The edge every request passes before a route sees it: bodies are read as a stream with a limit
// (a chunked body has no Content-Length to trust), and text that PostgreSQL cannot store (the NUL
// character) or that cannot be decoded is refused here, once, instead of in every route and query.

const KB = 1024;
/** Routes that need no sign-in (login) get only a small body: nobody unknown may make us read much. */
export const ANONYMOUS_BODY_LIMIT = 64 * KB;
/** Form submissions, comments, API calls: generous for the largest form, far below an upload. */
export const JSON_BODY_LIMIT = 1024 * KB;
/**
 * Multipart uploads: the configured attachment size and a megabyte more, so that a file a little
 * over the limit still reaches the upload route, which answers on the file field what the limit is.
 */
export const uploadBodyLimit = () => (env().ATTACHMENT_MAX_MB + 1) * 1024 * KB;

export interface Refusal {
  status: 413 | 422;
  message: string;
  fields?: Record<string, string>;
}

const TOO_LARGE: Refusal = { status: 413, message: "提交的内容过大" };
const NUL_MESSAGE = "内容含有不允许的控制字符（NUL）";
const BAD_ENCODING = "请求地址的编码不正确";

/** Whether the request carries credentials; without them only the small anonymous limit applies. */
function carriesCredentials(req: IncomingMessage): boolean {
  return Boolean(req.headers.authorization) || /(?:^|;\s*)idi_session=[^;\s]/.test(req.headers.cookie ?? "");
}

export function bodyLimitOf(req: IncomingMessage): number {
  if (!carriesCredentials(req)) return ANONYMOUS_BODY_LIMIT;
  const type = req.headers["content-type"] ?? "";
  return /^multipart\/form-data/i.test(type) ? uploadBodyLimit() : JSON_BODY_LIMIT;
}

/**
 * Reads the whole body, or stops at `limit` bytes: the declared length is checked first, then the
 * bytes as they arrive. Returns null when the body is too large; the rest is never read.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

/** The first NUL character in a value's strings or keys, by path ("" when it is the value itself). */
export function pathOfNul(value: unknown, path = ""): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path || "body" : null;
  if (!value || typeof value !== "object") return null;
  for (const [key, inner] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (key.includes("\u0000")) return here;
    const found = pathOfNul(inner, here);
    if (found) return found;
  }
  return null;
}

/** Refuses a URL whose path holds a broken percent-encoding, or whose path or query holds a NUL. */
export function checkUrl(url: string): Refusal | null {
  const parsed = new URL(url, "http://localhost");
  try {
    if (decodeURIComponent(parsed.pathname).includes("\u0000")) return { status: 422, message: NUL_MESSAGE, fields: { path: NUL_MESSAGE } };
  } catch {
    return { status: 422, message: BAD_ENCODING, fields: { path: BAD_ENCODING } };
  }
  // Read the way routes read it (URLSearchParams, which tolerates stray percent signs).
  for (const [name, value] of parsed.searchParams) {
    if (name.includes("\u0000") || value.includes("\u0000")) return { status: 422, message: NUL_MESSAGE, fields: { [name]: NUL_MESSAGE } };
  }
  return null;
}

/** Refuses a JSON or URL-encoded body that holds a NUL; anything else is left to the route. */
export function checkBody(contentType: string, body: Buffer): Refusal | null {
  let value: unknown;
  if (/^application\/json/i.test(contentType)) {
    try {
      value = JSON.parse(body.toString("utf8"));
    } catch {
      return null; // the route answers malformed JSON with its own message
    }
  } else if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
    value = Object.fromEntries(new URLSearchParams(body.toString("utf8")));
  } else {
    return null;
  }
  const path = pathOfNul(value);
  return path ? { status: 422, message: NUL_MESSAGE, fields: { [path]: NUL_MESSAGE } } : null;
}

export function tooLarge(): Refusal {
  return TOO_LARGE;
}
