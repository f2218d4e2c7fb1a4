import type { LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { apiLookupOrganisations, type OrganisationLookupQuery } from "~/server/api/organisations-api.server";
import { runOperation } from "~/server/api/handler.server";

// Also what the forms' credit-code fields ask as the user types (with the session cookie).
export const loader = (args: LoaderFunctionArgs) =>
  runOperation<z.infer<typeof OrganisationLookupQuery>>(args, "lookupOrganisations", ({ actor, query }) =>
    apiLookupOrganisations(actor, query),
  );
