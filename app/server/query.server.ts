import type { z } from "zod";
import { ValidationError, fieldErrorsOf } from "./errors.server";
import { parseInput } from "./validation.server";

// A query string as the lists, their exports, the statistics and the API read it: each key once,
// every key one the address knows, an empty value no filter (docs/decisions/033). A query that says
// something the address cannot read is refused on that key (422), never read as something else:
// the last of two districts, or a misspelt filter dropped, would answer a wider list than asked.

export const QUERY_REFUSED = "查询参数有误";

export const unknownKeyMessage = (key: string) => `未知的查询参数“${key}”`;
export const repeatedKeyMessage = (key: string) => `查询参数“${key}”只能出现一次`;

/** How many refused keys a refusal names: a query of a thousand made-up keys gets an answer of twenty. */
export const KEYS_NAMED = 20;

/** The refusal of `keys`, each on its key (the first KEYS_NAMED; the message counts the rest). */
function keysRefused(keys: string[], messageOf: (key: string) => string): ValidationError {
  const named = keys.slice(0, KEYS_NAMED);
  const more = keys.length - named.length;
  return new ValidationError(
    fieldErrorsOf(named.map((key) => [key, messageOf(key)])),
    more > 0 ? `${QUERY_REFUSED}（另有 ${more} 个参数未列出）` : QUERY_REFUSED,
  );
}

/** The query of a request or address as a plain object; a key given twice is refused on that key. */
export function queryOf(from: Request | URL | string): Record<string, string> {
  const url = from instanceof URL ? from : new URL(typeof from === "string" ? from : from.url);
  const values = new Map<string, string>();
  const repeated = new Set<string>();
  for (const [key, value] of url.searchParams) {
    if (values.has(key)) repeated.add(key);
    else values.set(key, value);
  }
  if (repeated.size) throw keysRefused([...repeated], repeatedKeyMessage);
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
  const unknown = Object.keys(query).filter((key) => !knownKeys.has(key));
  if (unknown.length) throw keysRefused(unknown, unknownKeyMessage);
}

const objectOf = (query: unknown) => (query && typeof query === "object" ? (query as Record<string, unknown>) : {});

/**
 * A query read by an object schema: empty values dropped, a key the schema does not name refused,
 * then each value parsed (422 naming each refused key in Chinese).
 */
export function parseQuery<S extends z.ZodObject>(schema: S, query: unknown): z.output<S> {
  const given = withoutEmpty(objectOf(query));
  refuseUnknownKeys(given, Object.keys(schema.shape));
  return parseInput(schema, given, QUERY_REFUSED);
}

export const bothNamesMessage = (name: string, old: string) => `“${name}”与旧名称“${old}”不能同时使用`;

/**
 * A query whose filters have former names (`aliases`, each old name with the name it now has; the
 * old ones deprecated, still read): an old name is read as its new one, both at once are refused
 * on the new name, and a value refused under an old name is refused under the name the query gave.
 */
export function parseAliasedQuery<S extends z.ZodObject>(schema: S, query: unknown, aliases: Record<string, string>): z.output<S> {
  const given = withoutEmpty(objectOf(query));
  const renamed = new Map(Object.entries(given));
  // The new name each old one given stands for: looked up in a Map, so `constructor` is no name.
  const givenAs = new Map<string, string>();
  const both: [string, string][] = [];
  for (const [old, name] of Object.entries(aliases)) {
    if (!Object.hasOwn(given, old)) continue;
    if (Object.hasOwn(given, name)) both.push([name, bothNamesMessage(name, old)]);
    renamed.set(name, given[old]);
    renamed.delete(old);
    givenAs.set(name, old);
  }
  if (both.length) throw new ValidationError(fieldErrorsOf(both), QUERY_REFUSED);
  try {
    return parseQuery(schema, Object.fromEntries(renamed));
  } catch (error) {
    if (!(error instanceof ValidationError) || !error.fields) throw error;
    const fields = Object.entries(error.fields).map(([key, message]): [string, string] => [givenAs.get(key) ?? key, message]);
    throw new ValidationError(fieldErrorsOf(fields), error.message);
  }
}
