import { eq } from "drizzle-orm";
import { organisations } from "@db/schema";
import type { OrganisationType } from "@db/schema/roles";
import type { Tx } from "@db/client";
import { creditCodeProblem, normaliseCreditCode } from "~/shared/credit-code";
import { ORGANISATION_TYPE_LABELS } from "~/shared/labels";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { clock } from "../clock.server";
import { ValidationError, type FieldErrors } from "../errors.server";
import { notify } from "../notifications/notify.server";

export interface PartyInput {
  creditCode: string;
  name: string;
}

/**
 * What the register says of a party a project names by its 统一社会信用代码: its organisation when
 * registered as the expected type, nothing when unknown but named (to be registered), else what is
 * wrong, by field. Reads only: the pre-check of a submission and the service share it.
 */
async function lookupParty(
  tx: Tx,
  type: OrganisationType,
  party: Partial<PartyInput>,
  field: string,
): Promise<{ id?: string; problems?: FieldErrors }> {
  const code = normaliseCreditCode(party.creditCode ?? "");
  const problem = creditCodeProblem(code);
  if (problem) return { problems: { [`${field}.creditCode`]: problem } };
  const [existing] = await tx.select().from(organisations).where(eq(organisations.creditCode, code));
  if (existing) {
    // Only an active organisation is named: the public register (the lookup) shows no other.
    const known = existing.status === "active" ? `“${existing.name}”` : "";
    if (existing.type !== type) {
      return {
        problems: {
          [`${field}.creditCode`]: `该信用代码登记的是${ORGANISATION_TYPE_LABELS[existing.type]}${known}，不是${ORGANISATION_TYPE_LABELS[type]}`,
        },
      };
    }
    if (existing.status === "disabled") return { problems: { [`${field}.creditCode`]: "该信用代码对应的单位已停用" } };
    return { id: existing.id };
  }
  const name = party.name?.trim();
  if (!name || name.length < 2)
    return { problems: { [`${field}.name`]: `平台尚未登记该单位，请填写${ORGANISATION_TYPE_LABELS[type]}名称` } };
  return {};
}

/** What stands against naming this party on a project, by field (none: {}). */
export async function partyProblems(tx: Tx, type: OrganisationType, party: Partial<PartyInput>, field: string): Promise<FieldErrors> {
  return (await lookupParty(tx, type, party, field)).problems ?? {};
}

/**
 * The organisation a project names by its 统一社会信用代码. A code already registered must be of
 * the expected type; an unknown one is registered for the administrators to review (never twice).
 */
export async function resolveParty(tx: Tx, actor: Actor, type: OrganisationType, party: PartyInput, field: string): Promise<string> {
  const { id, problems } = await lookupParty(tx, type, party, field);
  if (problems) throw new ValidationError(problems);
  if (id) return id;
  const code = normaliseCreditCode(party.creditCode);
  const name = party.name.trim();
  // Unknown codes come with a name: registered now, reviewed by an administrator later.
  const [created] = await tx
    .insert(organisations)
    .values({ type, name, creditCode: code, status: "pending_review", createdAt: clock.now(), updatedAt: clock.now() })
    .onConflictDoNothing({ target: organisations.creditCode })
    .returning({ id: organisations.id });
  if (!created) {
    const [raced] = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.creditCode, code));
    return raced.id;
  }
  await recordAudit(tx, actor, {
    action: "organisation.register_pending",
    subjectType: "organisation",
    subjectId: created.id,
    after: { type, name, creditCode: code },
  });
  await notify(tx, [
    {
      to: { roles: ["admin"], organisationId: null },
      message: {
        title: `新登记单位待审核：${name}`,
        body: `${actor.displayName}在录入项目时登记了${ORGANISATION_TYPE_LABELS[type]}“${name}”（${code}），请核实后审核。`,
        link: `/admin/organisations/${created.id}`,
      },
    },
  ]);
  return created.id;
}

/** An organisation of the given type that must already be registered and active (insurers, TIS): who it is, or what is wrong. */
export async function findKnownParty(
  tx: Tx,
  type: OrganisationType,
  creditCode: string,
): Promise<{ id: string; name: string; creditCode: string } | { problem: string }> {
  const code = normaliseCreditCode(creditCode ?? "");
  const problem = creditCodeProblem(code);
  if (problem) return { problem };
  const [existing] = await tx.select().from(organisations).where(eq(organisations.creditCode, code));
  // Registered as something else: say what, as the form's lookup does, rather than "not on the platform".
  if (existing && existing.type !== type)
    return {
      problem: `该信用代码登记的是${ORGANISATION_TYPE_LABELS[existing.type]}“${existing.name}”，不是${ORGANISATION_TYPE_LABELS[type]}`,
    };
  if (!existing || existing.status !== "active") return { problem: `平台上没有该信用代码的${ORGANISATION_TYPE_LABELS[type]}` };
  return { id: existing.id, name: existing.name, creditCode: existing.creditCode };
}
