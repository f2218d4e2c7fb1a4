import { z } from "zod";
import { SEARCH_MAX, searchTooLong } from "~/shared/search";
import { parseInput } from "./validation.server";

export const pageSchema = z.object({
  page: z.coerce.number().int().min(1).catch(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).catch(20).default(20),
});

/** A list's search text, trimmed: longer than `max` is refused on its field (422), never dropped. */
export const searchText = (max: number = SEARCH_MAX, tooLong: string = searchTooLong(max)) =>
  z.string().trim().max(max, tooLong).optional();

/** A list's page and filters from its query: a refused search is a 422 naming its field. */
export function listParams<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  return parseInput(schema, query ?? {});
}

export type PageInput = z.infer<typeof pageSchema>;

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}

export function offsetOf(p: PageInput): number {
  return (p.page - 1) * p.pageSize;
}

/** Escapes LIKE wildcards so a search for "50%" finds "50%" and nothing else. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => "\\" + c)}%`;
}

/** A list's filter from its query: absent or empty (a link's `district=`) is no filter; anything else must parse. */
export const filterParam = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());
