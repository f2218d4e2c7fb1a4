import { eq } from "drizzle-orm";
import { organisations } from "@db/schema";
import type { OrganisationType } from "@db/schema/roles";
import type { Tx } from "@db/client";
import { creditCodeProblem, normaliseCreditCode } from "~/shared/credit-code";
import { ORGANISATION_TYPE_LABELS } from "~/shared/labels";
import { recordAudit } from "../audit.server";
import type { Actor } from "../auth/actor";
import { clock } from "../clock.server";
import { ValidationError } from "../errors.server";
import { notify } from "../notifications/notify.server";

export interface PartyInput {
  creditCode: string;
  name: string;
}

/**
 * The organisation a project names by its 统一社会信用代码. A code already registered must be of
 * the expected type; an unknown one is registered for the administrators to review (never twice).
 */
export async function resolveParty(tx: Tx, actor: Actor, type: OrganisationType, party: PartyInput, field: string): Promise<string> {
  const code = normaliseCreditCode(party.creditCode ?? "");
  const problem = creditCodeProblem(code);
  if (problem) throw new ValidationError({ [`${field}.creditCode`]: problem });
  const [existing] = await tx.select().from(organisations).where(eq(organisations.creditCode, code));
  if (existing) {
    if (existing.type !== type) {
      throw new ValidationError({
        [`${field}.creditCode`]: `该信用代码登记的是${ORGANISATION_TYPE_LABELS[existing.type]}“${existing.name}”，不是${ORGANISATION_TYPE_LABELS[type]}`,
      });
    }
    if (existing.status === "disabled") throw new ValidationError({ [`${field}.creditCode`]: `“${existing.name}”已停用` });
    return existing.id;
  }
  const name = party.name?.trim();
  if (!name || name.length < 2)
    throw new ValidationError({ [`${field}.name`]: `平台尚未登记该单位，请填写${ORGANISATION_TYPE_LABELS[type]}名称` });
  // Unknown codes come with a name: registered now, reviewed by an administrator later.
  const [created] = await tx
    .insert(organisations)
    .values({ type, name: name.slice(0, 100), creditCode: code, status: "pending_review", createdAt: clock.now(), updatedAt: clock.now() })
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

/** An organisation of the given type that must already be registered and active (insurers, TIS). */
export async function knownParty(tx: Tx, type: OrganisationType, creditCode: string, field: string): Promise<string> {
  const code = normaliseCreditCode(creditCode ?? "");
  const problem = creditCodeProblem(code);
  if (problem) throw new ValidationError({ [field]: problem });
  const [existing] = await tx.select().from(organisations).where(eq(organisations.creditCode, code));
  if (!existing || existing.type !== type || existing.status !== "active") {
    throw new ValidationError({ [field]: `平台上没有该信用代码的${ORGANISATION_TYPE_LABELS[type]}` });
  }
  return existing.id;
}
