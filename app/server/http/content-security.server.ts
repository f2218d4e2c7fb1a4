import { randomBytes } from "node:crypto";

// The Content-Security-Policy of the platform's pages: scripts only from the platform, and inline
// only those the page itself wrote (Remix's hydration data and scroll restoration) with a nonce
// new for every page, so a script injected into a page does not run. Styles may be inline: antd
// writes its CSS at run time (CSS-in-JS) and React writes style attributes. Photos are shown from
// the platform (attachments), as data: (icons) and blob: (a photo chosen before its upload).

export const newNonce = (): string => randomBytes(16).toString("base64");

export function pagePolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join("; ");
}
