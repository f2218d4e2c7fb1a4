// The parts of a multipart/form-data body (RFC 7578), read as clients really send them. Node's
// own parser (undici's formData) takes only what browsers write and refuses the rest of the
// standard: a quote in a name escaped with a backslash (curl: filename="a\"b.png"), a name that is a
// token (filename=a.png), and the RFC 5987 form several HTTP libraries use for a name that is not
// ASCII (filename*=UTF-8''%E6%B8%97%E6%B0%B4.png). Here Content-Disposition is read by RFC 6266:
// filename* wins over filename; in a quoted name a backslash escapes only a quote or a backslash
// (Windows paths, which browsers send unescaped, keep theirs), and the escapes browsers use for a
// quote and line breaks (%22, %0D, %0A) are undone.

export interface Part {
  name: string;
  /** The file's name as the client gave it; null for a field that is not a file. */
  filename: string | null;
  /** A file whose name is not text: bytes or escapes that are not UTF-8 (refused, never guessed at). */
  unreadableName: boolean;
  content: Uint8Array;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

const CRLF = Buffer.from("\r\n");
const HEADERS_END = Buffer.from("\r\n\r\n");

/** The parameters of a header value such as `form-data; name="file"; filename*=UTF-8''%E2%82%AC.png` (names in lower case). */
export function headerParameters(value: string): Map<string, string> {
  const parameters = new Map<string, string>();
  let at = value.indexOf(";");
  while (at >= 0 && at < value.length) {
    at++;
    const equals = value.indexOf("=", at);
    if (equals < 0) break;
    const name = value.slice(at, equals).trim().toLowerCase();
    let end = equals + 1;
    while (value[end] === " " || value[end] === "\t") end++;
    let text = "";
    if (value[end] === '"') {
      for (end++; end < value.length && value[end] !== '"'; end++) {
        if (value[end] === "\\" && (value[end + 1] === '"' || value[end + 1] === "\\")) end++;
        text += value[end];
      }
      end = value.indexOf(";", end);
    } else {
      const next = value.indexOf(";", end);
      text = value.slice(end, next < 0 ? undefined : next).trim();
      end = next;
    }
    if (name && !parameters.has(name)) parameters.set(name, text);
    at = end;
  }
  return parameters;
}

/**
 * An RFC 5987 value (charset'language'percent-encoded); null when it is not one this reads, and
 * undefined when it says UTF-8 but its escapes are not (%FF%FE).
 */
function extendedValue(value: string): string | null | undefined {
  const match = /^(utf-8|iso-8859-1)'[^']*'(.*)$/i.exec(value);
  if (!match) return null;
  if (match[1].toLowerCase() === "iso-8859-1")
    return match[2].replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  try {
    return decodeURIComponent(match[2]);
  } catch {
    return undefined;
  }
}

/** The file's name (null: not a file), or undefined when it is not text. */
function fileNameOf(parameters: Map<string, string>): string | null | undefined {
  const extended = parameters.has("filename*") ? extendedValue(parameters.get("filename*")!) : null;
  if (extended !== null) return extended;
  const plain = parameters.get("filename");
  return plain === undefined ? null : plain.replace(/%(22|0d|0a)/gi, (escape) => decodeURIComponent(escape));
}

/** The parts of the body, or null when it is not a multipart body with the boundary its type names. */
export function multipartParts(body: Uint8Array, contentType: string): Part[] | null {
  if (!/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const boundary = headerParameters(contentType).get("boundary");
  if (!boundary) return null;
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.concat([CRLF, delimiter]);
  // The first delimiter may follow a preamble; each later one follows a line break.
  let at = bytes.indexOf(delimiter);
  if (at < 0) return null;
  const parts: Part[] = [];
  for (;;) {
    at += delimiter.length;
    if (bytes[at] === 0x2d && bytes[at + 1] === 0x2d) return parts;
    if (!bytes.subarray(at, at + 2).equals(CRLF)) return null;
    const headersEnd = bytes.indexOf(HEADERS_END, at);
    if (headersEnd < 0) return null;
    const next = bytes.indexOf(nextDelimiter, headersEnd + 4);
    if (next < 0) return null;
    const raw = bytes.subarray(at + 2, headersEnd);
    let text: string | undefined;
    try {
      text = UTF8.decode(raw);
    } catch {
      // Headers in bytes that are not UTF-8 (a name as FF FE): read only to find the part's field.
    }
    const headers = (text ?? raw.toString("latin1")).split("\r\n");
    const disposition = headers.find((h) => /^content-disposition\s*:/i.test(h));
    if (!disposition) return null;
    const parameters = headerParameters(disposition.slice(disposition.indexOf(":") + 1));
    const filename = fileNameOf(parameters);
    const unreadableName = filename === undefined || (text === undefined && filename !== null);
    parts.push({
      name: parameters.get("name") ?? "",
      filename: unreadableName ? null : filename!,
      unreadableName,
      content: bytes.subarray(headersEnd + 4, next),
    });
    at = next + CRLF.length;
  }
}
