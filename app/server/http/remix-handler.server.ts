import { createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { apiKeyActor } from "../auth/api-keys.server";
import { sessionFromCookie, unauthenticatedMessage } from "../auth/session.server";
import { closeAfterAnswer, remixErrorInChinese, sendErrorAnswer } from "./error-answers.server";
import { logAnswer, withFailureNote } from "./request-log.server";
import {
  TOO_LARGE,
  bodyLimitOf,
  checkBody,
  checkUrl,
  isOwnerPhotoUpload,
  isUpload,
  readBody,
  uploadBodyLimit,
  type Refusal,
} from "./request-guard.server";

// Remix behind express, with the body read at the edge: @remix-run/express hands routes the raw
// request stream, so nothing would bound a chunked body and every route would meet NUL characters
// on its own. Here the URL and body are checked once, then the route gets the buffered body.

/**
 * `chatTakesPhotos`: whether the owners' web chat the cookie names waits for report photos (only then
 * may it send a photo's worth of bytes); the chat is a channel (bots/), handed in by the process entry.
 */
export function remixHandler(build: ServerBuild, chatTakesPhotos: (cookieHeader: string | undefined) => Promise<boolean>) {
  const handlerFor = routeTables(build);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      const badUrl = checkUrl(req.originalUrl);
      if (badUrl) return refuse(req, res, badUrl);
      let body: Buffer | undefined;
      if (req.method !== "GET" && req.method !== "HEAD") {
        const validSession = isUpload(req) && (await uploaderKnown(req));
        // An upload without a valid session or key is refused as such before its size is judged:
        // the body of someone who may not upload is never read, and whatever its size the answer is 401.
        if (isUpload(req) && !validSession)
          return refuse(req, res, { status: 401, message: unauthenticatedMessage(req.headers.authorization, req.headers.cookie) });
        const ownerPhoto = isOwnerPhotoUpload(req) && (await chatTakesPhotos(req.headers.cookie));
        const read = await readBody(req, ownerPhoto ? uploadBodyLimit() : bodyLimitOf(req, validSession)).catch((error) => {
          // The connection ended before the body did (the client left, or the request deadline cut
          // it off and the server answered 408): there is nobody left to answer.
          if (req.socket.destroyed) return undefined;
          throw error;
        });
        if (read === undefined) return;
        if (!read && isOwnerPhotoUpload(req) && !ownerPhoto) {
          // A photo to a chat that asks for none (the ninth moved it on): its route answers from the
          // dialogue (the limit, or that this step takes no photo) without the body, which is dropped.
          discardRest(req, res, uploadBodyLimit());
        } else if (!read) return refuse(req, res, TOO_LARGE);
        else {
          const badBody = checkBody(req.headers["content-type"] ?? "", read);
          if (badBody) return refuse(req, res, badBody);
          body = read;
        }
      }
      // The path as Remix reads it from the request's URL (dot segments resolved), not as sent.
      const handle = handlerFor(new URL(req.originalUrl, "http://localhost").pathname);
      const { answer, failure } = withFailureNote(() => handle(remixRequest(req, res, body), { ip: req.ip ?? null }));
      const response = await remixErrorInChinese(req, await answer);
      logAnswer(req, response.status, failure.error);
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/** The REST API's paths, as Remix matches them (case-insensitive). */
const API_PATH = /^\/api\/v1(\/|$)/i;
const isApiRoute = (id: string) => id.startsWith("routes/api.v1.");
const isPageRoute = (id: string) => !isApiRoute(id);

/**
 * One Remix handler for the REST API's routes and one for the rest: Remix flattens and ranks its
 * whole route table on every request (over a hundred routes), and an API call, which only ever
 * matches an API route, then ranks the API's alone. A path Remix would decode into /api/v1 (%61pi)
 * meets the pages' table, where it matches nothing.
 */
function routeTables(build: ServerBuild): (path: string) => ReturnType<typeof createRequestHandler> {
  // A page renders from the routes' modules and the browser's manifest of them: both are cut alike.
  const pick = <T>(routes: Record<string, T>, keep: (id: string) => boolean) =>
    Object.fromEntries(Object.entries(routes).filter(([id]) => id === "root" || keep(id)));
  const only = (keep: (id: string) => boolean): ServerBuild => ({
    ...build,
    routes: pick(build.routes, keep),
    assets: { ...build.assets, routes: pick(build.assets.routes, keep) },
  });
  const api = createRequestHandler(only(isApiRoute), build.mode);
  const pages = createRequestHandler(only(isPageRoute), build.mode);
  return (path) => (API_PATH.test(path) ? api : pages);
}

/** Whether an upload comes with a valid session or API key (only then may its body be large). */
async function uploaderKnown(req: ExpressRequest): Promise<boolean> {
  const key = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (key) return (await apiKeyActor(key, req.ip ?? null)) !== null;
  return (await sessionFromCookie(req.headers.cookie, req.ip ?? null)) !== null;
}

/** The Fetch request Remix expects (as @remix-run/express builds it), with the body already read. */
function remixRequest(req: ExpressRequest, res: ExpressResponse, body: Buffer | undefined): Request {
  // req.hostname respects "trust proxy"; the port comes from X-Forwarded-Host or Host.
  const port = [req.get("X-Forwarded-Host"), req.get("host")]
    .map((h) => Number.parseInt(h?.split(":")[1] ?? "", 10))
    .find(Number.isSafeInteger);
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  const controller = new AbortController();
  // Abort loaders and actions when the response can no longer be written (closed before finished).
  let finished = false;
  res.on("finish", () => (finished = true));
  res.on("close", () => finished || controller.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : value ? [value] : []) headers.append(name, v);
  }
  return new Request(url.href, {
    method: req.method,
    headers,
    signal: controller.signal,
    body: body ? (new Uint8Array(body.buffer, body.byteOffset, body.byteLength) as Uint8Array<ArrayBuffer>) : undefined,
  });
}

async function sendRemixResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers.entries()) res.append(name, value);
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/**
 * Once answered, the rest of the body is read and dropped (kept nowhere), so that the connection
 * serves the client's next request; one that goes on past `limit` bytes is closed.
 */
function discardRest(req: ExpressRequest, res: ExpressResponse, limit: number) {
  res.on("finish", () => {
    let left = limit;
    req.on("data", (chunk: Buffer) => {
      left -= chunk.length;
      if (left < 0) req.socket.destroy();
    });
    req.resume();
  });
}

/** Answers a refused request in Chinese (JSON or a short page, see error-answers). */
function refuse(req: ExpressRequest, res: ExpressResponse, refusal: Refusal) {
  // The rest of the body is never read.
  if (refusal.status !== 422) closeAfterAnswer(res);
  // A page's form (a Remix data request) reads it as its action's answer, shown on the form, only
  // with the header Remix puts on its own answers; without it the page would show a crash.
  if (req.query._data) res.setHeader("X-Remix-Response", "yes");
  const error = { 401: "unauthenticated", 413: "payload_too_large", 422: "validation_failed" }[refusal.status];
  sendErrorAnswer(req, res, { ...refusal, error, advice: "请返回上一页重新操作。" });
}
