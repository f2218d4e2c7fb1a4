import { z } from "zod";
import { isDistrictCode } from "~/shared/districts";
import { SEARCH_MAX, searchTooLong } from "~/shared/search";
import { isCalendarDate, isRecordDay, outsideRecordYears } from "~/shared/time";
import { parseQuery } from "./query.server";

export const PAGE_REFUSED = "页码应为正整数";
export const PAGE_SIZE_REFUSED = "每页条数应为 1 到 100 的整数";

/**
 * A count as a query writes it: digits, the first not 0, read as a number. Anything else (0x10, +3,
 * " 1", 1e9, 1.0) stays as it was given, for the number schema to refuse: a page is asked for in
 * one spelling, never guessed from another.
 */
const countOfDigits = (value: unknown) => (typeof value === "string" && /^[1-9][0-9]*$/.test(value) ? Number(value) : value);

/** A list's page number as its query gives it: a positive integer in digits, else refused (422). */
export const pageNumber = () => z.preprocess(countOfDigits, z.number({ error: PAGE_REFUSED }).int(PAGE_REFUSED).min(1, PAGE_REFUSED));

/** A list's page size as its query gives it: 1 to 100 in digits, else refused (422). */
export const pageSizeNumber = () =>
  z.preprocess(countOfDigits, z.number({ error: PAGE_SIZE_REFUSED }).int(PAGE_SIZE_REFUSED).min(1, PAGE_SIZE_REFUSED).max(100, PAGE_SIZE_REFUSED));

/** The page and its size of a list, its API and its export: a value that is neither is refused, never replaced. */
export const pageSchema = z.object({
  page: pageNumber().default(1),
  pageSize: pageSizeNumber().default(20),
});

/** The page of a list that may forgive (the notifications): what it cannot read is the first page of 20. */
export const forgivingPageSchema = z.object({
  page: z.coerce.number().int().min(1).catch(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).catch(20).default(20),
});

/** One page of nothing: what a list whose query was refused shows. */
export const NO_ROWS = { rows: [] as never[], total: 0, page: 1, pageSize: 20 };

/** A list's search text, trimmed: longer than `max` is refused on its field (422), never dropped. */
export const searchText = (max: number = SEARCH_MAX, tooLong: string = searchTooLong(max)) =>
  z.string().trim().max(max, tooLong).optional();

/**
 * A list's page and filters from its query (queryOf): an empty value is no filter, a key the list
 * does not know or a value it cannot read is a 422 naming its key.
 */
export function listParams<S extends z.ZodObject>(schema: S, query: unknown): z.output<S> {
  return parseQuery(schema, query);
}

export type PageInput = z.infer<typeof pageSchema>;

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
  /** The selection has more rows than `total`, where a list page counts only so far (LIST_COUNT_CAP). */
  capped?: boolean;
}

/**
 * How far a list page counts a selection its tallies cannot count (filtered by status, period,
 * search…): 1000 rows, fifty pages; beyond, the page says 1000+ (docs/decisions/041).
 */
export const LIST_COUNT_CAP = 1000;

export function offsetOf(p: PageInput): number {
  return (p.page - 1) * p.pageSize;
}

/** Escapes LIKE wildcards so a search for "50%" finds "50%" and nothing else. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => "\\" + c)}%`;
}

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
 * A day a query selects records by: a real date (else `invalid`; `notText` when it is no text,
 * `missing` when it is not given) in the records' years (RECORD_YEARS), each fault in its own words.
 */
export function recordDay(label: string, invalid = `${label}应为有效日期（YYYY-MM-DD）`, notText = invalid, missing = notText) {
  return z.string({ error: (issue) => (issue.input == null ? missing : notText) }).superRefine((value, ctx) => {
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
