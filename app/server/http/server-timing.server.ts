import type { NextFunction, Request, Response } from "express";

// Server-Timing on every answer: how long the server took from the request's arrival to its answer's
// headers (for a page: reading the body, the loaders and the render; for a download, until its first
// bytes). Browsers' devtools show it beside the network's time, and the pages bench
// (test/bench/pages.ts) reads it to tell the server's time from the client's.

/** The header's value for a duration in milliseconds: `app;dur=12.3`. */
export function serverTimingValue(ms: number): string {
  return `app;dur=${Math.round(ms * 10) / 10}`;
}

/** Adds `Server-Timing: app;dur=…` to the answer just before its headers are written. */
export function serverTiming(_req: Request, res: Response, next: NextFunction): void {
  const started = performance.now();
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: unknown[]) {
    if (!this.headersSent) this.setHeader("Server-Timing", serverTimingValue(performance.now() - started));
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as Response["writeHead"];
  next();
}
