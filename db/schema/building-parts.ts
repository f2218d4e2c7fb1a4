// The parts of a building that a claim's defect (its part) and a risk event (its category) are in:
// one list of codes for both. Owners and inspectors call some of them differently, so the Chinese
// names stay apart (app/shared/claim-labels.ts, app/shared/risk-labels.ts).
export const BUILDING_PARTS = [
  "foundation",
  "structure",
  "waterproofing",
  "insulation",
  "finishing",
  "electrical",
  "plumbing",
  "hvac",
  "other",
] as const;
export type BuildingPart = (typeof BUILDING_PARTS)[number];
