import dayjs from "dayjs";
import utc from "dayjs/plugin/utc.js";
import "dayjs/locale/zh-cn.js";

dayjs.extend(utc);
dayjs.locale("zh-cn");

// Kunming's time, whatever zone the server or the browser runs in (the database's name for it).
export const PLATFORM_TIME_ZONE = "Asia/Shanghai";
// China has kept UTC+8 all year since 1991: a fixed offset says the same as the zone for every
// date the platform holds (RECORD_YEARS), without dayjs's timezone plugin, which asks Intl for
// each value (0.4 ms a date: a list of 50 rows spent 20 ms on its dates alone).
const PLATFORM_OFFSET_MINUTES = 8 * 60;

export function inPlatformZone(value: Date | string | number) {
  return dayjs(value).utcOffset(PLATFORM_OFFSET_MINUTES);
}

export function formatDateTime(value: Date | string | number | null | undefined, format = "YYYY-MM-DD HH:mm"): string {
  return value == null ? "" : inPlatformZone(value).format(format);
}

/**
 * When something refused may be tried again, to the minute (HH:mm) and rounded up: a lock that ends
 * at 09:47:19 is said as 09:48, so that a retry at the minute said is not refused again.
 */
export function formatRetryTime(value: Date): string {
  const at = inPlatformZone(value);
  return (at.second() || at.millisecond() ? at.add(1, "minute") : at).format("HH:mm");
}

/** Today's date in Kunming (YYYY-MM-DD) by this machine's clock: the browser's, where the server's is not at hand. */
export const todayHere = (): string => formatDateTime(new Date(), "YYYY-MM-DD");

/** A date picker's day that has not come yet in Kunming: not to be picked where the date must have happened. */
export const isAfterToday = (day: { format(template: string): string }): boolean => day.format("YYYY-MM-DD") > todayHere();

/** A real calendar date written YYYY-MM-DD (2026-02-30 and 2026-13-01 are not). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * The years a day may name where it selects or makes records (a filter, a period, a form's date):
 * the platform's records begin after 2000, and a year past 2099 is a slip of the keyboard that no
 * calendar sum should walk to (a period reaching year 9999 would have a million months).
 */
export const RECORD_YEARS = { first: 2000, last: 2099 } as const;

/** A real calendar date (isCalendarDate) in RECORD_YEARS. */
export function isRecordDay(value: unknown): value is string {
  if (!isCalendarDate(value)) return false;
  const year = Number(value.slice(0, 4));
  return year >= RECORD_YEARS.first && year <= RECORD_YEARS.last;
}

/** What is said of a real date outside RECORD_YEARS. */
export const outsideRecordYears = (label: string): string => `${label}应在${RECORD_YEARS.first}年至${RECORD_YEARS.last}年之间`;

/** The instant a Kunming calendar day (YYYY-MM-DD) begins: 00:00 Beijing time. */
export function dayStarts(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/** A calendar day (YYYY-MM-DD) moved by whole days or years: 2026-12-20 + 2 years − 30 days. */
export function shiftDay(day: string, amount: number, unit: "day" | "month" | "year"): string {
  return dayjs.utc(day).add(amount, unit).format("YYYY-MM-DD");
}

/**
 * A deadline as people read it: to the minute (2026-12-05 18:30), or a day (2026-12-05) when it
 * falls at midnight Beijing time. Midnight is the end of the day before: a risk event due on the
 * 5th is late from 00:00 on the 6th, so "2026-12-06 00:00" reads as "by the 5th".
 */
export function formatDue(value: Date | string | number | null | undefined): string {
  if (value == null) return "";
  const at = inPlatformZone(value);
  return at.format("HH:mm:ss.SSS") === "00:00:00.000" ? at.subtract(1, "day").format("YYYY-MM-DD") : at.format("YYYY-MM-DD HH:mm");
}
