import type { z } from "zod";
import { ValidationError, type FieldErrors } from "./errors.server";
import { parseInput } from "./validation.server";

// A query string as the lists, their exports, the statistics and the API read it: each key once,
// every key one the address knows, an empty value no filter (docs/decisions/033). A query that says
// something the address cannot read is refused on that key (422), never read as something else:
// the last of two districts, or a misspelt filter dropped, would answer a wider list than asked.

export const QUERY_REFUSED = "查询参数有误";

export const unknownKeyMessage = (key: string) => `未知的查询参数“${key}”`;
export const repeatedKeyMessage = (key: string) => `查询参数“${key}”只能出现一次`;

/** The query of a request or address as a plain object; a key given twice is refused on that key. */
export function queryOf(from: Request | URL | string): Record<string, string> {
  const url = from instanceof URL ? from : new URL(typeof from === "string" ? from : from.url);
  const values = new Map<string, string>();
  const fields: FieldErrors = {};
  for (const [key, value] of url.searchParams) {
    if (values.has(key)) fields[key] = repeatedKeyMessage(key);
    else values.set(key, value);
  }
  if (Object.keys(fields).length) throw new ValidationError(fields, QUERY_REFUSED);
  // fromEntries defines own properties: a key such as __proto__ stays a key.
  return Object.fromEntries(values);
}

/** The query without its empty values: `district=` (what a link or a cleared picker sends) is no filter. */
export function withoutEmpty<T>(query: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== "" && value !== undefined));
}

/** Refuses, each on its key, the keys of `query` that are not `known`. */
export function refuseUnknownKeys(query: object, known: Iterable<string>): void {
  const knownKeys = new Set(known);
  const fields: FieldErrors = {};
  for (const key of Object.keys(query)) if (!knownKeys.has(key)) fields[key] = unknownKeyMessage(key);
  if (Object.keys(fields).length) throw new ValidationError(fields, QUERY_REFUSED);
}

/**
 * A query read by an object schema: empty values dropped, a key the schema does not name refused,
 * then each value parsed (422 naming each refused key in Chinese).
 */
export function parseQuery<S extends z.ZodObject>(schema: S, query: unknown): z.output<S> {
  const given = withoutEmpty(query && typeof query === "object" ? (query as Record<string, unknown>) : {});
  refuseUnknownKeys(given, Object.keys(schema.shape));
  return parseInput(schema, given, QUERY_REFUSED);
}
