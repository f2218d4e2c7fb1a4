import type { Socket } from "node:net";
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";

// How the platform answers a request it refuses or fails outside a route's own answer (the edge,
// Remix's own errors, the last resort): in Chinese, as JSON to whatever reads JSON, as a short page
// to a browser that asked for one.

export interface ErrorAnswer {
  status: number;
  /** The API's error code (ErrorBody.error). */
  error: string;
  message: string;
  fields?: Record<string, string>;
  /** What a browser's page says after the message (the message alone by default). */
  advice?: string;
}

/**
 * Whether the answer is JSON: a page's data request (?_data), the API, or a client that does not
 * ask for HTML first (a script's fetch sends * / *, a browser opening an address asks for HTML).
 */
export function answersInJson(req: ExpressRequest): boolean {
  return Boolean(req.query._data) || req.path.startsWith("/api/") || req.accepts(["json", "html"]) !== "html";
}

/** How long a connection refused mid-body is kept, unread, after its answer went out. */
const LINGER_MS = 5000;

/**
 * An answer given before the request's body was read to its end (a refusal by its size or its
 * credentials): the rest is not read, so the connection ends with the answer (Connection: close)
 * and no other request or answer follows on it. Node would destroy the socket the moment the
 * answer is out (its destroySoon), and a client still sending the body would be reset before it
 * read the answer: here the answer only ends the sending side, and the socket is let go a few
 * seconds later.
 */
export function closeAfterAnswer(res: ExpressResponse): void {
  res.setHeader("Connection", "close");
  const socket = res.req.socket as Socket & { destroySoon?: () => void };
  socket.destroySoon = () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}

/** JSON shaped both like an API error and like a page action's failure (what the platform's forms read). */
const jsonOf = (answer: ErrorAnswer) => ({
  ok: false,
  error: answer.error,
  message: answer.message,
  ...(answer.fields ? { fields: answer.fields } : {}),
});

const pageOf = (answer: ErrorAnswer) =>
  `<!DOCTYPE html><meta charset=utf-8><title>请求未能完成</title><p>${answer.message}。${answer.advice ?? ""}</p>`;

export function sendErrorAnswer(req: ExpressRequest, res: ExpressResponse, answer: ErrorAnswer): void {
  if (answersInJson(req)) res.status(answer.status).json(jsonOf(answer));
  else res.status(answer.status).type("html").send(pageOf(answer));
}

/** The same answer as a Fetch response, keeping `headers` (Remix's own, such as X-Remix-Catch). */
export function errorAnswerResponse(req: ExpressRequest, answer: ErrorAnswer, headers = new Headers()): Response {
  headers.delete("Content-Length");
  const json = answersInJson(req);
  headers.set("Content-Type", json ? "application/json; charset=utf-8" : "text/html; charset=utf-8");
  return new Response(json ? JSON.stringify(jsonOf(answer)) : pageOf(answer), { status: answer.status, headers });
}

const CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  422: "validation_failed",
  429: "too_many_attempts",
  503: "busy",
};

/** Remix's own answers (English, "Unexpected Server Error") in Chinese, by status. */
const REMIX_ERRORS: Record<number, Omit<ErrorAnswer, "status">> = {
  400: { error: "bad_request", message: "请求格式不正确" },
  404: { error: "not_found", message: "页面或数据不存在" },
  405: { error: "method_not_allowed", message: "不支持该请求方法" },
  500: { error: "internal", message: "服务器内部错误，您的操作没有生效，请稍后重试" },
};

const isText = (response: Response) => /^text\/plain\b/i.test(response.headers.get("Content-Type") ?? "");

/**
 * An error answer of Remix or a route, made fit for whoever asked: Remix's own errors (X-Remix-Error,
 * or its last-resort plain "Unexpected Server Error") in Chinese, with 404 for a data request that
 * names a route not at its address (Remix says 403); and a route's plain-text refusal (a 403 or 405
 * sentence) as JSON to a client that reads JSON.
 */
export async function remixErrorInChinese(req: ExpressRequest, response: Response): Promise<Response> {
  if (response.status < 400) return response;
  // A page without an action answers a form with 405 (its document too): it can only be read.
  if (response.status === 405 && !response.headers.has("Allow") && !response.headers.has("X-Remix-Error")) {
    const headers = new Headers(response.headers);
    headers.set("Allow", "GET, HEAD");
    response = new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
  if (response.headers.has("X-Remix-Error") || (response.status >= 500 && isText(response))) {
    await response.body?.cancel();
    const status = response.status === 403 ? 404 : REMIX_ERRORS[response.status] ? response.status : 500;
    const headers = new Headers(response.headers);
    // Remix's 405 is a form sent to an address that has none (no action): it can only be read.
    if (status === 405) headers.set("Allow", "GET, HEAD");
    return errorAnswerResponse(req, { status, ...REMIX_ERRORS[status] }, headers);
  }
  if (!isText(response) || !answersInJson(req)) return response;
  const message = await response.text();
  return errorAnswerResponse(
    req,
    { status: response.status, error: CODES[response.status] ?? "failed", message },
    new Headers(response.headers),
  );
}
