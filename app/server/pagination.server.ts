import { z } from "zod";
import { isDistrictCode } from "~/shared/districts";
import { SEARCH_MAX, searchTooLong } from "~/shared/search";
import { isCalendarDate, isRecordDay, outsideRecordYears } from "~/shared/time";
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

// A list's filters (the lists' pages, their exports and the API's list operations): a value the
// list cannot read is refused on its field with its own Chinese message (422), never dropped: a
// list silently wider than asked looks like the figure it was opened from.

/** A filter that is one of `values`. */
export const oneOfFilter = <const T extends readonly string[]>(values: T, message: string) => z.enum(values, { error: message }).optional();

/** A yes/no filter, written true or false. */
export const yesNoFilter = (message: string) => oneOfFilter(["true", "false"], message);

/** A filter naming a record by its id. */
export const idFilter = (message: string) => z.uuid({ error: message }).optional();

/** A filter by a district's code (app/shared/districts.ts). */
export const districtFilter = (message = "区县不存在") => z.string({ error: message }).refine(isDistrictCode, message).optional();

/**
 * A day a query selects records by: a real date (else `invalid`; `notText` when it is no text) in
 * the records' years (RECORD_YEARS), each fault in its own words.
 */
export function recordDay(label: string, invalid = `${label}应为有效日期（YYYY-MM-DD）`, notText = invalid) {
  return z.string({ error: notText }).superRefine((value, ctx) => {
    if (!isCalendarDate(value)) ctx.addIssue({ code: "custom", message: invalid });
    else if (!isRecordDay(value)) ctx.addIssue({ code: "custom", message: outsideRecordYears(label) });
  });
}

/** A list's optional from/to day. */
export const dayFilter = (label: string) => recordDay(label, undefined, `${label}应为日期（YYYY-MM-DD）`).optional();

/** A from/to pair whose end comes before its start selects nothing anybody meant: refused on `to`. */
export function periodInOrder<F extends string = "from", T extends string = "to">(
  fromLabel: string,
  toLabel: string,
  keys: [F, T] = ["from", "to"] as [F, T],
): [(q: Partial<Record<F | T, string>>) => boolean, { path: string[]; message: string }] {
  const [from, to] = keys;
  return [(q) => !q[from] || !q[to] || q[from] <= q[to], { path: [to], message: `${toLabel}不能早于${fromLabel}` }];
}
