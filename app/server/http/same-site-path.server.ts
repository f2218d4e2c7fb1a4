// Where the platform may send a browser that a user's input names (the page to return to after
// signing in): a path on this site only. Browsers drop tabs and line breaks from a Location and
// read a backslash as a slash, so "/\t/example.com" and "/\example.com" both land on
// //example.com, another site; a line break in a header cannot be sent at all. Such a path, or
// anything but a plain path, is not followed. A header carries bytes, not text: a path with
// 宝象 or a look-alike slash (∕, ／) is sent percent-encoded, as the browser itself would ask for it,
// and "/..//x", which a browser resolves to //x, is not followed either.

const UNSAFE = /[\p{Cc}\p{Z}\s\\]/u;
const HERE = "http://same-site.invalid";

/** `to` as a Location on this site (percent-encoded), when it is a plain path without control characters, spaces or backslashes; null otherwise. */
export function sameSitePath(to: unknown): string | null {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//")) return null;
  if (UNSAFE.test(to) || !to.isWellFormed()) return null;
  const url = new URL(to, HERE);
  const path = url.pathname + url.search + url.hash;
  return url.origin === HERE && !path.startsWith("//") ? path : null;
}
