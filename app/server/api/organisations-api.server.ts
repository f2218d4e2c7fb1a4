import { z } from "zod";
import { ORGANISATION_TYPES } from "@db/schema/roles";
import { LOOKUP_ORGANISATION_TYPES } from "~/shared/organisation-lookup";
import type { Actor } from "../auth/actor";
import { lookupOrganisations } from "../organisations/lookup.server";
import type { Operation } from "./contract-common.server";

// Looking up a registered organisation by credit code or name, as the forms do while one types.

export const OrganisationLookupQuery = z.object({
  code: z.string().max(18).optional().describe("统一社会信用代码（精确查找）"),
  q: z.string().max(50).optional().describe("单位名称的一部分，或信用代码的开头"),
  type: z.enum(LOOKUP_ORGANISATION_TYPES).optional().describe("单位类型"),
});

export const RegisteredOrganisation = z
  .object({ creditCode: z.string(), name: z.string(), type: z.enum(ORGANISATION_TYPES) })
  .meta({ id: "RegisteredOrganisation" });

export const ORGANISATION_OPERATIONS: Operation[] = [
  {
    id: "lookupOrganisations",
    method: "get",
    path: "/api/v1/organisations/lookup",
    summary: "按信用代码或名称查找平台登记的单位（至多10个，仅在用单位）",
    query: OrganisationLookupQuery,
    response: z.array(RegisteredOrganisation),
    errors: [401, 422],
  },
];

export function apiLookupOrganisations(actor: Actor, query: z.infer<typeof OrganisationLookupQuery>) {
  return lookupOrganisations(actor, query);
}
