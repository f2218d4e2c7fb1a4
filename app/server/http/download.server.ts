/**
 * A file as a download: its type, and its name in a Content-Disposition every browser reads safely
 * (RFC 6266): `filename*` carries the name in UTF-8, percent-encoded down to RFC 5987's few
 * unreserved characters (encodeURIComponent leaves ' ( ) * as they are, and ' ends the charset
 * part); `filename` is an ASCII stand-in for clients that know no other, with nothing that could
 * end its quotes.
 */
export function downloadResponse(bytes: Uint8Array, file: { name: string; type: string; asciiName?: string }): Response {
  return new Response(new Uint8Array(bytes), { headers: { ...downloadHeaders(file), "Content-Length": String(bytes.byteLength) } });
}

/** A download's headers but its length (what a HEAD request answers without building the file). */
export function downloadHeaders(file: { name: string; type: string; asciiName?: string }): Record<string, string> {
  return {
    "Content-Type": file.type,
    "Content-Disposition": attachmentDisposition(file.name, file.asciiName),
    "Cache-Control": "private, max-age=0",
  };
}

/** The Content-Disposition of a download named `name` (see downloadResponse). */
export function attachmentDisposition(name: string, asciiName?: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const ascii = asciiName ?? name.replace(/[^\x20-\x7e]+|["\\%]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
