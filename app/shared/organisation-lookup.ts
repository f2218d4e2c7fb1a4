import type { OrganisationType } from "@db/schema/roles";

// What a form may look up in the platform's register: the organisation types that fill a form's
// party or share fields, and the public part of a registered organisation.
export const LOOKUP_ORGANISATION_TYPES = [
  "developer",
  "contractor",
  "supervisor",
  "designer",
  "tis",
  "insurer",
  "reinsurer",
  "repairer",
] as const;
export type LookupOrganisationType = (typeof LOOKUP_ORGANISATION_TYPES)[number];

export interface RegisteredOrganisation {
  creditCode: string;
  name: string;
  type: OrganisationType;
  /** A TIS's rating by the insurers it worked for (stars 1–5), shown when an insurer appoints one. */
  rating?: { stars: number; count: number } | null;
}

/** "保险公司评价 4.5 星，共 3 个项目", or "暂无保险公司评价". */
export function ratingText(rating: RegisteredOrganisation["rating"]): string {
  return rating && rating.count ? `保险公司评价 ${rating.stars.toFixed(1)} 星，共 ${rating.count} 个项目` : "暂无保险公司评价";
}

/** Where the browser asks, with its session (app/routes/api.v1.organisations.lookup.ts). */
export const ORGANISATION_LOOKUP_PATH = "/api/v1/organisations/lookup";
