// Where the platform may send a browser that a user's input names (the page to return to after
// signing in): a path on this site only. Browsers drop tabs and line breaks from a Location and
// read a backslash as a slash, so "/\t/example.com" and "/\example.com" both land on
// //example.com, another site; a line break in a header cannot be sent at all. Such a path, or
// anything but a plain path, is not followed.

const UNSAFE = /[\p{Cc}\p{Z}\s\\]/u;

/** `to` when it is a path on this site without control characters, spaces or backslashes; null otherwise. */
export function sameSitePath(to: unknown): string | null {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//")) return null;
  return UNSAFE.test(to) ? null : to;
}
