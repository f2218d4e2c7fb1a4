import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { can } from "~/shared/permissions";
import { anonymousActor, type Actor } from "../auth/actor";
import { callerOf } from "../auth/caller.server";
import { clientIp, unauthenticatedMessage } from "../auth/session.server";
import { DomainError, UnsupportedMediaTypeError, ValidationError, errorHeaders, fieldErrorsOf } from "../errors.server";
import { allowedMethods } from "../http/methods.server";
import { readUploadedFile } from "../http/upload.server";
import { noteFailure } from "../http/request-log.server";
import { parseQuery, queryOf } from "../query.server";
import { operation } from "./contract.server";

export interface ApiContext<Q = unknown, B = unknown> {
  actor: Actor;
  params: Record<string, string | undefined>;
  query: Q;
  body: B;
  request: Request;
}

/**
 * A JSON answer that says its length: the compression middleware then leaves a small one (under
 * 1 kB: a completion's task row, most problems) as it is, instead of starting a deflate stream for it.
 */
function jsonAnswer(body: unknown, init: { status?: number; headers?: HeadersInit } = {}): Response {
  const text = JSON.stringify(body);
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json");
  headers.set("Content-Length", String(Buffer.byteLength(text)));
  return new Response(text, { status: init.status, headers });
}

function problem(
  status: number,
  error: string,
  message: string,
  fields?: Record<string, string>,
  rows?: string[],
  headers?: HeadersInit,
  problems?: { elementId?: string; message: string }[],
): Response {
  return jsonAnswer(
    { error, message, ...(fields ? { fields } : {}), ...(rows ? { rows } : {}), ...(problems ? { problems } : {}) },
    { status, headers },
  );
}

/**
 * A domain error as the API answers it: its status, `{ error, message, fields?, rows?, problems? }`
 * and its headers (Retry-After). Also what a download route (an export) refuses with.
 */
export const domainProblem = (error: DomainError): Response =>
  problem(
    error.status,
    error.code,
    error.message,
    error.fields,
    error instanceof ValidationError ? error.rows : undefined,
    errorHeaders(error),
    error instanceof ValidationError ? error.problems : undefined,
  );

/**
 * A download's work (an export, a chart's or a report's workbook): its file, or a domain error
 * answered as the API answers it (`{ error, message, fields }`), never a page: what fetches it is
 * a script or the export button, which shows the message.
 */
export async function downloadOrProblem(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) return domainProblem(error);
    throw error;
  }
}

/**
 * An operation run for a method it does not have (the edge refuses such requests first: this is a
 * route that hands its request to the wrong operation), naming the methods the address takes.
 */
const methodNotAllowed = (request: Request) =>
  problem(405, "method_not_allowed", "不支持该请求方法", undefined, undefined, {
    Allow: allowedMethods(new URL(request.url).pathname).join(", "),
  });

/** Whether the request's body is declared JSON (application/json or a +json type, any parameters). */
export const isJson = (request: Request) => /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(request.headers.get("Content-Type") ?? "");

const fieldsOf = (error: z.ZodError, prefix = "") =>
  fieldErrorsOf(error.issues.map((issue) => [prefix + (issue.path.join(".") || "body"), issue.message]));

/**
 * One API operation: authenticate (bearer key or session cookie), parse query and body with the
 * operation's zod schemas, run, answer JSON. Domain errors keep their status (422 with fields,
 * 404, 409…); anything unexpected is logged and answered 500 without details.
 */
export async function runOperation<Q = unknown, B = unknown>(
  args: LoaderFunctionArgs | ActionFunctionArgs,
  operationId: string,
  run: (ctx: ApiContext<Q, B>) => Promise<unknown>,
): Promise<Response> {
  try {
    const op = operation(operationId);
    // HEAD is a GET whose body Node leaves out.
    const method = args.request.method === "HEAD" ? "get" : args.request.method.toLowerCase();
    if (method !== op.method) return methodNotAllowed(args.request);
    const actor = op.public ? anonymousActor("", clientIp(args.context)) : await callerOf(args.request, args.context);
    if (!actor)
      return problem(
        401,
        "unauthenticated",
        unauthenticatedMessage(args.request.headers.get("Authorization"), args.request.headers.get("Cookie")),
      );
    if (op.permission && !can(actor.roles, op.permission)) return problem(403, "forbidden", "您没有权限执行此操作");
    await op.authorize?.(actor, args.params);
    // A key given twice, a key the operation does not name, a value it cannot read: 422 on that key.
    const query = op.query ? parseQuery(op.query, queryOf(args.request)) : {};
    let body: unknown = undefined;
    if (op.body) {
      // Read only what is sent as JSON: a form or plain text that happens to parse is not what the client meant.
      if (!isJson(args.request)) throw new UnsupportedMediaTypeError("请求体须为 JSON，请设置 Content-Type: application/json");
      const raw = await args.request.json().catch(() => {
        throw new ValidationError({ body: "请求体不是有效的 JSON" }, "请求体不是有效的 JSON");
      });
      const parsed = op.body.safeParse(raw);
      if (!parsed.success) return problem(422, "validation_failed", "提交的数据有误", fieldsOf(parsed.error));
      body = parsed.data;
    }
    // An upload is read when the operation asks for it, after its own checks (scope first: 404).
    if (op.upload) {
      const maxBytes = op.upload.maxBytes();
      body = () => readUploadedFile(args.request, maxBytes);
    }
    const result = await run({ actor, params: args.params, query: query as Q, body: body as B, request: args.request });
    return result instanceof Response ? result : jsonAnswer(result);
  } catch (error) {
    if (error instanceof DomainError) return domainProblem(error);
    if (error instanceof Response) return error;
    // Logged once, with the request's method, path and status, by the Remix handler.
    noteFailure(error);
    return problem(500, "internal", "服务器内部错误，请稍后重试");
  }
}
