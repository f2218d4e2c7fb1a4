import { AsyncLocalStorage } from "node:async_hooks";
import { logger } from "../logger.server";

// A refused method (405) and a failure (500) are each told in the log once, as one line: method,
// path, status, and for a failure its error with its stack. Whoever meets the error (Remix's
// handleError, the API's last resort) notes it on the request; the Remix handler writes the line
// when the answer's status is known.

interface Failure {
  error?: unknown;
}

const failures = new AsyncLocalStorage<Failure>();

/** Runs a request's handling with a place to note the error that fails it. */
export function withFailureNote<T>(handle: () => Promise<T>): { answer: Promise<T>; failure: Failure } {
  const failure: Failure = {};
  return { answer: failures.run(failure, handle), failure };
}

/** Notes the error that fails the current request (the first one); outside a request, logs it at once. */
export function noteFailure(error: unknown): void {
  const failure = failures.getStore();
  if (failure) failure.error ??= error;
  else logger.error({ err: error }, "failed outside a request");
}

/** The request's one log line, for a 405 or a 5xx answer (nothing for others). */
export function logAnswer(request: { method: string; path: string }, status: number, error?: unknown): void {
  if (status === 405) logger.warn({ method: request.method, path: request.path, status }, "method not allowed");
  else if (status >= 500)
    logger.error(
      { method: request.method, path: request.path, status, ...(error ? { err: error } : {}) },
      error instanceof Error ? error.message : "request failed",
    );
}
