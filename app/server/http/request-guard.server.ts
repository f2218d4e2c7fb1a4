import type { IncomingMessage } from "node:http";
import { sessionIdFrom } from "../auth/session.server";
import { XLSX_LIMITS } from "../claims/xlsx-guard.server";
import { env } from "../env.server";

// The edge every request passes before a route sees it: bodies are read as a stream with a limit
// (a chunked body has no Content-Length to trust), and text that PostgreSQL cannot store (the NUL
// character) or that cannot be decoded is refused here, once, instead of in every route and query.

const KB = 1024;
/** Routes that need no sign-in (login) get only a small body: nobody unknown may make us read much. */
export const ANONYMOUS_BODY_LIMIT = 64 * KB;
/**
 * The owners' public page (/owner and its home finder) takes a claim number, a phone and a rating:
 * a few fields, whoever sends them (a visitor, or staff with a session looking at it).
 */
export const OWNER_PAGE_BODY_LIMIT = 16 * KB;
const OWNER_PAGE_PATH = /^\/owner(\/homes)?\/?$/;
/** Form submissions, comments, API calls: generous for the largest form, far below an upload. */
export const JSON_BODY_LIMIT = 1024 * KB;
/**
 * Multipart uploads: the configured attachment size and a megabyte more, so that a file a little
 * over the limit still reaches the upload route, which answers on the file field what the limit is.
 */
export const uploadBodyLimit = () => (env().ATTACHMENT_MAX_MB + 1) * 1024 * KB;

export interface Refusal {
  status: 401 | 413 | 422;
  message: string;
  fields?: Record<string, string>;
}

export const TOO_LARGE: Refusal = { status: 413, message: "提交的内容过大" };
/** Said of text PostgreSQL cannot store, here and where pages read multipart fields. */
export const UNSTORABLE_MESSAGE = "内容含有不允许的字符（NUL 控制字符或残缺的 Unicode 编码）";
const BAD_ENCODING = "请求地址的编码不正确";

/** Whether the request carries credentials; without them only the small anonymous limit applies. */
export function carriesCredentials(req: IncomingMessage): boolean {
  return Boolean(req.headers.authorization) || sessionIdFrom(req.headers.cookie) !== null;
}

/**
 * The routes that take files (multipart uploads of a signed-in user), each with its body limit: a
 * megabyte over what the route accepts, so that it answers on the file field what the limit is.
 */
const UPLOAD_ROUTES: { path: RegExp; limit: () => number }[] = [
  { path: /^\/attachments$/, limit: uploadBodyLimit },
  // 房屋清单 (the page's import and the API's): an .xlsx of at most XLSX_LIMITS.uploadBytes.
  { path: /^(\/api\/v1)?\/projects\/[^/]+\/units$/, limit: () => XLSX_LIMITS.uploadBytes + 1024 * KB },
];

const uploadRoute = (req: IncomingMessage) =>
  req.method === "POST" ? UPLOAD_ROUTES.find((r) => r.path.test((req.url ?? "").split("?")[0])) : undefined;

/** Whether the request goes to a route that takes files. */
export function isUpload(req: IncomingMessage): boolean {
  return uploadRoute(req) !== undefined;
}

/** The owners' web chat's photo upload (no account: the chat's cookie is checked before the body is read). */
export function isOwnerPhotoUpload(req: IncomingMessage): boolean {
  return req.method === "POST" && (req.url ?? "").split("?")[0] === "/owner/chat/photo";
}

/**
 * The body limit of a request, chosen before anything is read: small without credentials, the
 * upload size only for the upload route and only once its session proved valid (a made-up cookie
 * must not buy 20 MB), and the JSON size for everything else.
 */
export function bodyLimitOf(req: IncomingMessage, validSession: boolean): number {
  if (OWNER_PAGE_PATH.test((req.url ?? "").split("?")[0])) return OWNER_PAGE_BODY_LIMIT;
  if (!carriesCredentials(req)) return ANONYMOUS_BODY_LIMIT;
  const upload = uploadRoute(req);
  if (upload) return validSession ? upload.limit() : ANONYMOUS_BODY_LIMIT;
  return JSON_BODY_LIMIT;
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

/** Text PostgreSQL cannot store: a NUL character, or a lone UTF-16 surrogate (no valid UTF-8 exists for it). */
export function unstorable(text: string): boolean {
  return text.includes("\u0000") || !text.isWellFormed();
}

/** Deeper than any form the platform has: a body nested further is refused before anything walks it. */
export const MAX_DEPTH = 64;
const TOO_DEEP = "提交的数据嵌套层次过深";

type Finding = { kind: "unstorable"; path: string } | { kind: "too_deep" };

/**
 * Where a parsed body holds text PostgreSQL cannot store (path "body" for the value itself), or
 * that it nests deeper than MAX_DEPTH. Walked with a stack, not recursion: a hundred thousand
 * nested brackets must not overflow the server's own stack.
 */
export function findUnstorable(value: unknown): Finding | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: "", depth: 0 }];
  while (stack.length) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === "string") {
      if (unstorable(current)) return { kind: "unstorable", path: path || "body" };
      continue;
    }
    if (!current || typeof current !== "object") continue;
    if (depth >= MAX_DEPTH) return { kind: "too_deep" };
    for (const [key, inner] of Object.entries(current)) {
      const here = path ? `${path}.${key}` : key;
      if (unstorable(key)) return { kind: "unstorable", path: here };
      stack.push({ value: inner, path: here, depth: depth + 1 });
    }
  }
  return null;
}

const unstorableAt = (field: string): Refusal => ({ status: 422, message: UNSTORABLE_MESSAGE, fields: { [field]: UNSTORABLE_MESSAGE } });

/**
 * Whether the percent-escapes of a query or form component decode to UTF-8 text. A stray "%" is
 * kept as it is (URLSearchParams does so, and "100%" is what someone typed); %ED%A0%80 or %FF,
 * which URLSearchParams would silently turn into U+FFFD, is not text.
 */
function escapesAreText(component: string): boolean {
  try {
    decodeURIComponent(component.replace(/%(?![0-9a-f]{2})/gi, "%25"));
    return true;
  } catch {
    return false;
  }
}

const escapesOf = (encoded: string) => encoded.split("&").flatMap((pair) => pair.split("="));

/** Refuses a URL whose path holds a broken percent-encoding, whose query's escapes are not UTF-8, or whose path or query holds a NUL. */
export function checkUrl(url: string): Refusal | null {
  const parsed = new URL(url, "http://localhost");
  try {
    if (unstorable(decodeURIComponent(parsed.pathname))) return unstorableAt("path");
  } catch {
    return { status: 422, message: BAD_ENCODING, fields: { path: BAD_ENCODING } };
  }
  if (!escapesOf(parsed.search.slice(1)).every(escapesAreText)) return { status: 422, message: BAD_ENCODING, fields: { query: BAD_ENCODING } };
  // Read the way routes read it (URLSearchParams, which tolerates stray percent signs).
  for (const [name, value] of parsed.searchParams) {
    if (unstorable(name) || unstorable(value)) return unstorableAt(name);
  }
  return null;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Refuses a body that holds a NUL or bytes that are not UTF-8 (which a decoder would silently turn
 * into U+FFFD, storing "a���b" for what was sent): as raw bytes in anything but a multipart upload
 * (whose files may hold any byte; its fields are checked where they are read), as \u0000 or a
 * lone surrogate escape in JSON, whatever the declared type (routes parse JSON without asking),
 * or as %00 or %FF in a URL-encoded form.
 */
export function checkBody(contentType: string, body: Buffer): Refusal | null {
  if (/^multipart\//i.test(contentType)) return null;
  if (body.includes(0)) return unstorableAt("body");
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    return unstorableAt("body");
  }
  let value: unknown;
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
    if (!escapesOf(text.replaceAll("+", " ")).every(escapesAreText)) return unstorableAt("body");
    value = Object.fromEntries(new URLSearchParams(text));
  } else {
    try {
      value = JSON.parse(text);
    } catch {
      return null; // the route answers a body it cannot read with its own message
    }
  }
  const found = findUnstorable(value);
  if (!found) return null;
  if (found.kind === "too_deep") return { status: 422, message: TOO_DEEP, fields: { body: TOO_DEEP } };
  return unstorableAt(found.path);
}
