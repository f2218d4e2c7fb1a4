import type { UnitCoverage } from "~/server/claims/coverage.server";

// Where a coverage part stands on a day, as the hotline's and the owners' cover views say it.

type Part = Pick<UnitCoverage["parts"][number], "inForce" | "start">;

/** 在保 / 未起保 / 已到期 on `today` (a YYYY-MM-DD day in Kunming), with the colour its tag is drawn in. */
export function partState(part: Part, today: string): { label: string; color: "green" | "blue" | "default" } {
  if (part.inForce) return { label: "在保", color: "green" };
  if (today < part.start) return { label: "未起保", color: "blue" };
  return { label: "已到期", color: "default" };
}
