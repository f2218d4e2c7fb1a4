import { clock } from "~/server/clock.server";
import { unitCoverage } from "~/server/claims/coverage.server";
import { reportClaim } from "~/server/claims/claims.server";
import { confirmRepair, ownerActor, ownerClaimTimeline, ownerClaims, ownerUnits, rateClaim } from "~/server/claims/owner-claims.server";
import { db } from "~/server/db.server";
import { env } from "~/server/env.server";
import { claimNumber } from "~/shared/claim-labels";
import { formatDateTime } from "~/shared/time";
import type { DialogueServices, OwnerChannel } from "./dialogue/types";
import { RESEND_CODE } from "./dialogue/bind";
import { checkPhoneCode, codeValidUntil, sendPhoneCode } from "~/server/sms/phone-codes.server";

/**
 * The dialogue's services on the platform's claim services, acting as the verified owner on a
 * channel; the chat (and the address its message came from) is who asks for SMS codes.
 */
export function ownerServices(channel: OwnerChannel, chat: { id: string; address: string | null }): DialogueServices {
  const requester = { key: `chat:${chat.id}`, address: chat.address, button: RESEND_CODE.label };
  return {
    channel,
    hotline: env().HOTLINE_PHONE,
    today: () => clock.today(),
    ownerUnits,
    async coverage(phone, unitId) {
      const owned = (await ownerUnits(phone)).some((u) => u.id === unitId);
      return owned ? unitCoverage(db(), unitId, clock.today()) : null;
    },
    async reportClaim(phone, draft) {
      const claim = await reportClaim(ownerActor(phone, channel, chat.address), { ...draft, reporterPhone: phone, channel });
      return { id: claim.id, number: claimNumber(claim.seq) };
    },
    ownerClaims,
    ownerClaimTimeline,
    rateClaim: (phone, claimId, input) => rateClaim(ownerActor(phone, channel, chat.address), claimId, input),
    confirmRepair: (phone, claimId, input) => confirmRepair(ownerActor(phone, channel, chat.address), claimId, input),
    requestCode: (phone) => sendPhoneCode(phone, requester),
    verifyCode: (phone, code) => checkPhoneCode(phone, code, requester),
    async codeValidUntil(phone) {
      const until = await codeValidUntil(phone, requester);
      return until && formatDateTime(until, "HH:mm");
    },
  };
}
