import { creditCodeCheckCharacter } from "~/shared/credit-code";
import { demoCreditCode } from "./workflow";

// Submissions of the insurance review that tests fill in, as an insurer would.

/** A valid credit code the seed does not know (a new organisation). */
export const newCreditCode = (stem: string) => {
  const first17 = `91530100${stem}`;
  return first17 + creditCodeCheckCharacter(first17);
};

/** A complete 录入报建信息 submission of the demo city's parties. */
export function registration(overrides: Record<string, unknown> = {}) {
  return {
    permitNo: "KM-2026-0101",
    name: "滇池湾花园二期",
    communityName: "滇池湾花园",
    district: "530112",
    address: "西山区广福路88号",
    longitude: 102.68,
    latitude: 24.98,
    grossFloorArea: 86500,
    buildingCount: 8,
    homeCount: 712,
    constructionCost: 312000000,
    startDate: "2026-03-01",
    plannedCompletionDate: "2028-06-30",
    developer: { creditCode: demoCreditCode("dev-dc") },
    contractor: { creditCode: demoCreditCode("con-yj2") },
    supervisor: { creditCode: demoCreditCode("sup-hy") },
    designer: { creditCode: newCreditCode("MA6Y1K2L3"), name: "昆明新设计院有限公司" },
    ...overrides,
  };
}

/** A complete 录入保险信息 submission: PICC leads 60 %, CPIC 40 %, China Re reinsures 30 %. */
export function policy(overrides: Record<string, unknown> = {}) {
  return {
    policyNo: "PICC-IDI-2026-0001",
    insuranceType: "住宅工程质量潜在缺陷保险",
    coverage: [
      { part: "地基基础和主体结构", years: 10 },
      { part: "保温和防水", years: 5 },
    ],
    periodStart: "2028-07-01",
    periodEnd: "2038-06-30",
    sumInsured: 312000000,
    ratePercent: 1.5,
    premium: 4680000,
    issueDate: "2026-02-20",
    leadShare: 60,
    coinsurers: [{ creditCode: demoCreditCode("cpic"), share: 40 }],
    reinsurers: [{ creditCode: demoCreditCode("chinare"), share: 30 }],
    tisCreditCode: demoCreditCode("tis-yjk"),
    ...overrides,
  };
}
