import { eq } from "drizzle-orm";
import {
  organisations,
  policies,
  projects,
  units,
  type BuildingPart,
  type CoverageGroup,
  type Policy,
  type PolicyStatus,
} from "@db/schema";
import type { Executor } from "@db/client";
import { COVERAGE_GROUP_LABELS, PART_GROUP } from "~/shared/claim-labels";
import { buildingLabel, unitNoLabel } from "~/shared/home-address";
import { shiftDay } from "~/shared/time";
import { env } from "../env.server";

// A home's cover, derived from its project's policy: which insurer, how to report, and for each
// coverage group when it starts and ends and whether it is in force on a given day.

export interface CoveragePart {
  group: CoverageGroup;
  label: string;
  years: number;
  start: string;
  end: string;
  inForce: boolean;
}

export interface UnitCoverage {
  unit: { id: string; building: string; unitNo: string; room: string; label: string };
  project: { id: string; name: string; communityName: string; address: string; district: string };
  insurer: { id: string; name: string; phone: string | null };
  policy: { id: string; policyNo: string; status: PolicyStatus; periodStart: string; periodEnd: string } | null;
  parts: CoveragePart[];
  hotline: string;
  steps: string[];
}

/** The claim steps as owners are told them. */
export const CLAIM_STEPS = [
  "报案：说明房屋、缺陷部位和情况，上传照片",
  "受理：保险公司在时限内受理并联系您",
  "查勘：查勘人员上门查看，出具统一格式的查勘报告（小额案件可直接维修）",
  "立案或不予立案：不予立案会告知原因",
  "定损与维修：确定维修方案，由保险公司指定的维修单位维修",
  "验收：您确认维修结果，不满意可说明原因退回重修",
  "结案与评价：结案后请对服务进行评价",
];

/** "3栋2单元1501" */
export function unitLabel(u: { building: string; unitNo: string; room: string }): string {
  return `${buildingLabel(u.building)}${unitNoLabel(u.unitNo)}${u.room}`;
}

/** The group a policy's coverage line is about, by its wording (the insurer's form keeps free text). */
export function coverageGroupOf(part: string): CoverageGroup {
  if (/地基|主体/.test(part)) return "structure";
  if (/保温|防水|渗漏/.test(part)) return "envelope";
  return "other";
}

/** Each coverage group of the policy: from the period's start, for its years, capped at the period's end. */
export function coverageParts(policy: Pick<Policy, "coverage" | "periodStart" | "periodEnd" | "status">, today: string): CoveragePart[] {
  return policy.coverage.map((line) => {
    const group = coverageGroupOf(line.part);
    const fullEnd = shiftDay(shiftDay(policy.periodStart, line.years, "year"), -1, "day");
    const end = fullEnd < policy.periodEnd ? fullEnd : policy.periodEnd;
    return {
      group,
      label: line.part || COVERAGE_GROUP_LABELS[group],
      years: line.years,
      start: policy.periodStart,
      end,
      inForce: policy.status === "in_force" && today >= policy.periodStart && today <= end,
    };
  });
}

/** Whether a defect in this part falls under cover in force on `today`. */
export function partInForce(parts: CoveragePart[], part: BuildingPart): boolean {
  return parts.some((p) => p.group === PART_GROUP[part] && p.inForce);
}

/** A home's cover on `today`; null when the home does not exist. Callers decide who may ask. */
export async function unitCoverage(ex: Executor, unitId: string, today: string): Promise<UnitCoverage | null> {
  const [row] = await ex
    .select({ unit: units, project: projects, policy: policies, insurerName: organisations.name, insurerPhone: organisations.contactPhone })
    .from(units)
    .innerJoin(projects, eq(projects.id, units.projectId))
    .innerJoin(organisations, eq(organisations.id, projects.leadInsurerId))
    .leftJoin(policies, eq(policies.projectId, projects.id))
    .where(eq(units.id, unitId));
  if (!row) return null;
  const { unit, project, policy } = row;
  return {
    unit: { id: unit.id, building: unit.building, unitNo: unit.unitNo, room: unit.room, label: unitLabel(unit) },
    project: {
      id: project.id,
      name: project.name,
      communityName: project.communityName,
      address: project.address,
      district: project.district,
    },
    insurer: { id: project.leadInsurerId, name: row.insurerName, phone: row.insurerPhone },
    policy: policy
      ? { id: policy.id, policyNo: policy.policyNo, status: policy.status, periodStart: policy.periodStart, periodEnd: policy.periodEnd }
      : null,
    parts: policy ? coverageParts(policy, today) : [],
    hotline: env().HOTLINE_PHONE,
    steps: CLAIM_STEPS,
  };
}
