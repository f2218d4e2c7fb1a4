import { expect, it } from "vitest";
import { formatDateTime, inPlatformZone } from "~/shared/time";

// The platform's dates are Kunming's (Asia/Shanghai), said with a fixed UTC+8: the same as the zone
// says them for every year the platform holds, and at the day's edges.
const shanghai = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

it("says every hour of 2000–2099 as the Asia/Shanghai zone does", () => {
  const mismatches: string[] = [];
  // Every 7 hours and 13 minutes over a century: every hour of the day, every month, both sides of midnight.
  for (let t = Date.UTC(2000, 0, 1); t < Date.UTC(2100, 0, 1); t += (7 * 60 + 13) * 60_000) {
    const expected = shanghai.format(new Date(t));
    if (formatDateTime(new Date(t)) !== expected)
      mismatches.push(`${new Date(t).toISOString()}: ${formatDateTime(new Date(t))} ≠ ${expected}`);
  }
  expect(mismatches.slice(0, 5)).toEqual([]);
});

it("puts 16:00 UTC at midnight of the next day in Kunming", () => {
  expect(formatDateTime("2026-12-31T16:00:00Z")).toBe("2027-01-01 00:00");
  expect(inPlatformZone("2026-12-31T15:59:59Z").format("YYYY-MM-DD")).toBe("2026-12-31");
});
