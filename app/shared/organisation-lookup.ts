import type { OrganisationType } from "@db/schema/roles";

// What a form may look up in the platform's register: the organisation types that fill a form's
// party or share fields, and the public part of a registered organisation.
export const LOOKUP_ORGANISATION_TYPES = ["developer", "contractor", "supervisor", "designer", "tis", "insurer", "reinsurer"] as const;
export type LookupOrganisationType = (typeof LOOKUP_ORGANISATION_TYPES)[number];

export interface RegisteredOrganisation {
  creditCode: string;
  name: string;
  type: OrganisationType;
}

/** Where the browser asks, with its session (app/routes/api.v1.organisations.lookup.ts). */
export const ORGANISATION_LOOKUP_PATH = "/api/v1/organisations/lookup";
