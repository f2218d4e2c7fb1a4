import { clock } from "./clock.server";

// Domain errors: services throw them, the web routes and the REST API turn them into answers
// (422 with fields, 409, 404, 403, 429, 401). Messages are Chinese: they reach the user as they are.
export type FieldErrors = Record<string, string>;

/**
 * Field errors gathered by key, the first message of each kept: through a Map into an object of
 * own keys, so a key such as `__proto__` is a key like any other (`fields[key] = …` on `{}` would
 * set the prototype and drop it), and JSON says it.
 */
export function fieldErrorsOf(entries: Iterable<readonly [string, string]>): FieldErrors {
  const fields = new Map<string, string>();
  for (const [key, message] of entries) if (!fields.has(key)) fields.set(key, message);
  return Object.fromEntries(fields);
}

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
  ) {
    super(message);
  }
}

export class ValidationError extends DomainError {
  constructor(
    fields: FieldErrors,
    message = "提交的内容有误，请按提示修改",
    /** Row by row, for an uploaded table: every bad row's message (第12行：…), in the file's order. */
    readonly rows?: string[],
    /** Element by element, for a refused diagram: each problem with the id of the element it is about. */
    readonly problems?: { elementId?: string; message: string }[],
  ) {
    super(422, "validation_failed", message, fields);
  }
}

/** A conflict; `retryAt` when it ends by itself (a second urge within the half hour): said as Retry-After. */
export class ConflictError extends DomainError {
  constructor(
    message: string,
    readonly retryAt?: Date,
  ) {
    super(409, "conflict", message);
  }
}

export class NotFoundError extends DomainError {
  constructor(message = "未找到该记录，或您无权查看") {
    super(404, "not_found", message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "您没有权限执行此操作") {
    super(403, "forbidden", message);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = "用户名或密码错误") {
    super(401, "unauthenticated", message);
  }
}

/** A body sent as something other than what the address reads (JSON where JSON is expected). */
export class UnsupportedMediaTypeError extends DomainError {
  constructor(message: string) {
    super(415, "unsupported_media_type", message);
  }
}

export class TooManyAttemptsError extends DomainError {
  constructor(
    message: string,
    readonly retryAt: Date,
  ) {
    super(429, "too_many_attempts", message);
  }
}

/** The headers an error's answer carries: after a 429, or a 409 that ends by itself, how many seconds to wait (Retry-After). */
export function errorHeaders(error: DomainError): Record<string, string> {
  if (!(error instanceof TooManyAttemptsError || (error instanceof ConflictError && error.retryAt))) return {};
  return { "Retry-After": String(Math.max(1, Math.ceil((error.retryAt!.getTime() - clock.now().getTime()) / 1000))) };
}

/** The database could not settle a conflict with another request even on a second try. */
export class BusyError extends DomainError {
  constructor(message = "系统繁忙，本次操作未生效，请稍后重试") {
    super(503, "busy", message);
  }
}
