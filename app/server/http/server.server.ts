import { createServer } from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { ping } from "@db/client";
import { database, startDatabase, stopDatabase, type StartOptions } from "../db.server";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { ensureStatisticsReports, ensureUnderwritingReports } from "../reports/report-services.server";
import { deployBuiltIns, startScheduler } from "../workflow/index.server";
import { closeAfterAnswer, sendErrorAnswer } from "./error-answers.server";
import { refusedMethod } from "./methods.server";
import { isCrossSiteMutation } from "./origin.server";
import { remixHandler } from "./remix-handler.server";
import { logAnswer } from "./request-log.server";
import { serverTiming } from "./server-timing.server";

export interface HttpServerOptions extends StartOptions {
  build: ServerBuild;
  /** Directory of the browser bundle (build/client). */
  assetsDir: string;
  port?: number;
  host?: string;
  channels: Channels;
}

/**
 * The channels beside the pages (the owners' Telegram bot and web chat, in bots/): they stand on the
 * platform's services, so the process entry hands them in and the server imports none of them.
 */
export interface Channels {
  /** Starts them with the server, on its express app (a webhook comes before the origin check: Telegram sends none). */
  start(app: Express): { stop(): Promise<void> } | null;
  /** Whether the owners' web chat the cookie names waits for report photos: only then may it upload a photo's worth of bytes. */
  chatTakesPhotos(cookieHeader: string | undefined): Promise<boolean>;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
  /** Closes the database under the running server (tests of the health check use it). */
  closeDatabase(): Promise<void>;
}

/**
 * Starts the platform: the database (migrated; the built-in flows deployed, then the caller's
 * start-up tasks, such as the demo city), then the HTTP server.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const e = env();
  await startDatabase({
    ...options,
    startupTasks: [deployBuiltIns, ensureUnderwritingReports, ensureStatisticsReports, ...(options.startupTasks ?? [])],
  });
  const scheduler = startScheduler(e.SCHEDULER_INTERVAL_MS);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", e.TRUST_PROXY);

  app.use(serverTiming);
  app.use(securityHeaders);
  app.use(oneAnswerPerRequest);
  app.use(refuseUnservedMethods);
  app.use(compression());
  // A file that is not there (or a path out of the folder, which send refuses) falls through to a 404.
  app.use("/assets", express.static(options.assetsDir, { immutable: true, maxAge: "1y", index: false, redirect: false }), assetNotFound);
  app.get("/healthz", healthz);
  const channels = options.channels.start(app);
  app.use(refuseCrossSiteMutations);
  // app.use, not app.all("*"): a route pattern would make express decode the path itself and answer a
  // broken encoding with its own English error page before the guard could answer it.
  app.use(remixHandler(options.build, options.channels.chatTakesPhotos));
  app.use(unexpectedError);

  const server = createServer(
    {
      // A request that trickles in (its headers or its body) holds a connection and the bytes read so
      // far: it must arrive in full within the deadline. Node checks every connection at the interval.
      requestTimeout: e.REQUEST_TIMEOUT_MS,
      headersTimeout: e.REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: Math.min(1000, e.REQUEST_TIMEOUT_MS / 2),
      // An idle connection is kept longer than browsers and proxies keep theirs (Node's 5 s was
      // shorter): otherwise the server may close it just as a client sends a POST on it, and the
      // submission fails with a reset connection (seen in CI).
      keepAliveTimeout: 65_000,
    },
    app,
  );
  server.on("clientError", answerClientError);
  server.listen(options.port ?? e.PORT, options.host ?? e.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await channels?.stop();
      await scheduler.stop();
      await stopDatabase();
    },
    closeDatabase: () => database().close(),
  };
}

/** The last resort: whatever failed outside a route is logged, and the user is told in Chinese (never a stack). */
function unexpectedError(error: unknown, req: Request, res: Response, _next: NextFunction) {
  logAnswer(req, 500, error);
  if (res.headersSent) return void res.destroy();
  sendErrorAnswer(req, res, { status: 500, error: "internal", message: "服务器内部错误，您的操作没有生效，请稍后重试" });
}

/** What Node refuses before the app sees a request, answered in Chinese JSON like the app's own refusals. */
const CLIENT_ERRORS: Record<string, { status: number; reason: string; error: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: "Request Timeout",
    error: "request_timeout",
    message: "请求未在时限内发送完毕，请检查网络后重试",
  },
  HPE_HEADER_OVERFLOW: { status: 431, reason: "Request Header Fields Too Large", error: "headers_too_large", message: "请求头或地址过长" },
};
const BAD_REQUEST = { status: 400, reason: "Bad Request", error: "bad_request", message: "请求格式不正确" };

/**
 * Connections whose request was answered before all of its body had arrived (an early refusal, a
 * GET whose body nobody reads): the request is still open for Node, and its deadline would answer
 * it a second time (408) on the same connection.
 */
const answeredEarly = new WeakSet<Duplex>();

function oneAnswerPerRequest(req: Request, res: Response, next: NextFunction) {
  res.on("finish", () => {
    if (req.complete) return;
    const socket = req.socket;
    answeredEarly.add(socket);
    // Its body came in after all (read and dropped): the connection may carry another request.
    req.once("end", () => answeredEarly.delete(socket));
  });
  next();
}

/**
 * A request Node could not take (sent too slowly, headers too large, not HTTP): answered on the
 * socket itself, since there is no request object, unless an answer has already begun or the
 * request was answered already. The socket is closed a moment later rather than at once: closing
 * on unread bytes resets the connection, and the client would lose the answer.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex) {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent: boolean } })._httpMessage;
  if (error.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent || answeredEarly.has(socket)) return void socket.destroy();
  const answer = CLIENT_ERRORS[error.code ?? ""] ?? BAD_REQUEST;
  const body = JSON.stringify({ ok: false, error: answer.error, message: answer.message });
  socket.end(
    `HTTP/1.1 ${answer.status} ${answer.reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  setTimeout(() => socket.destroy(), 1000).unref();
}

function securityHeaders(_req: Request, res: Response, next: NextFunction) {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "SAMEORIGIN");
  res.setHeader("Referrer-Policy", "same-origin");
  next();
}

/** A method the address does not take (methods.server.ts): 405 with the methods it does. */
function refuseUnservedMethods(req: Request, res: Response, next: NextFunction) {
  const allow = refusedMethod(req.method, req.path);
  if (allow === null) return next();
  res.setHeader("Allow", allow);
  logAnswer(req, 405);
  sendErrorAnswer(req, res, { status: 405, error: "method_not_allowed", message: "不支持该请求方法" });
}

function assetNotFound(req: Request, res: Response) {
  sendErrorAnswer(req, res, { status: 404, error: "not_found", message: "页面或数据不存在" });
}

async function healthz(_req: Request, res: Response) {
  const db = database();
  try {
    await Promise.race([ping(db.db), new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000))]);
    res.json({ status: "ok", database: { kind: db.kind, status: "up" } });
  } catch (error) {
    logger.warn({ err: error }, "health check: database not answering");
    res.status(503).json({ status: "unavailable", database: { kind: db.kind, status: "down" } });
  }
}

function refuseCrossSiteMutations(req: Request, res: Response, next: NextFunction) {
  const refused = isCrossSiteMutation({
    method: req.method,
    host: req.headers["x-forwarded-host"] && env().TRUST_PROXY ? String(req.headers["x-forwarded-host"]) : req.headers.host,
    origin: req.headers.origin,
    referer: req.headers.referer,
    cookie: req.headers.cookie,
  });
  if (!refused) return next();
  logger.warn({ method: req.method, url: req.originalUrl, origin: req.headers.origin }, "cross-site request refused");
  // Refused before its body is read: the body is not read at all (a megabyte of chat or a photo),
  // so the connection ends with the answer.
  closeAfterAnswer(res);
  sendErrorAnswer(req, res, {
    status: 403,
    error: "cross_origin",
    message: "拒绝来自其他站点的请求",
    advice: "请从本平台页面重新操作。",
  });
}

export function assetsDirOf(buildFile: string): string {
  return path.join(path.dirname(buildFile), "client");
}
