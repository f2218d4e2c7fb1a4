import { ATTACHMENT_OPERATIONS } from "./attachments-api.server";
import * as attachmentsApi from "./attachments-api.server";
import { CLAIM_OPERATIONS } from "./claims-api.server";
import { DRY_RUN_OPERATIONS } from "./dry-run-api.server";
import * as dryRunApi from "./dry-run-api.server";
import * as claimsApi from "./claims-api.server";
import type { Operation } from "./contract-common.server";
import * as common from "./contract-common.server";
import { FORM_OPERATIONS } from "./forms-api.server";
import * as formsApi from "./forms-api.server";
import { OPERATE_OPERATIONS } from "./operate-api.server";
import * as operateApi from "./operate-api.server";
import { ORGANISATION_OPERATIONS } from "./organisations-api.server";
import { PROCESS_ADMIN_OPERATIONS } from "./process-admin-api.server";
import * as processAdminApi from "./process-admin-api.server";
import * as organisationsApi from "./organisations-api.server";
import { PROJECT_OPERATIONS } from "./projects-api.server";
import * as projectsApi from "./projects-api.server";
import { RISK_OPERATIONS } from "./risk-api.server";
import * as riskApi from "./risk-api.server";
import { SESSION_OPERATIONS } from "./session-api.server";
import * as sessionApi from "./session-api.server";
import { STATISTICS_OPERATIONS } from "./statistics-api.server";
import * as statisticsApi from "./statistics-api.server";
import { WORKFLOW_OPERATIONS } from "./workflow-api.server";
import * as workflowApi from "./workflow-api.server";

// The REST API's contract, put together: every operation's input and output as zod schemas. Each
// domain's operations stand with their schemas and what they do (*-api.server.ts); the route
// modules parse with them and the OpenAPI document is generated from this list, so the two cannot
// drift.

export const OPERATIONS: Operation[] = [
  ...SESSION_OPERATIONS,
  ...WORKFLOW_OPERATIONS,
  ...DRY_RUN_OPERATIONS,
  ...PROJECT_OPERATIONS,
  ...RISK_OPERATIONS,
  ...CLAIM_OPERATIONS,
  ...ATTACHMENT_OPERATIONS,
  ...ORGANISATION_OPERATIONS,
  ...STATISTICS_OPERATIONS,
  ...FORM_OPERATIONS,
  ...PROCESS_ADMIN_OPERATIONS,
  ...OPERATE_OPERATIONS,
];

/** Everything the contract's parts export: the document takes each named schema (meta id) from here, nested ones too. */
export const CONTRACT_EXPORTS: unknown[] = [
  common,
  sessionApi,
  workflowApi,
  dryRunApi,
  projectsApi,
  riskApi,
  claimsApi,
  attachmentsApi,
  organisationsApi,
  statisticsApi,
  formsApi,
  processAdminApi,
  operateApi,
].flatMap((part) => Object.values(part));

export function operation(id: string): Operation {
  const op = OPERATIONS.find((o) => o.id === id);
  if (!op) throw new Error(`no API operation ${id}`);
  return op;
}
