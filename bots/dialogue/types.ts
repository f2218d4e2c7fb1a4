import type { BuildingPart } from "@db/schema/building-parts";
import type { RatingReason } from "@db/schema/claims";
import type { UnitCoverage } from "~/server/claims/coverage.server";
import type { CodeOutcome } from "~/server/sms/phone-codes.server";

// The owners' conversation, written once for every channel: what comes in, what goes out, where a
// chat stands between messages, and the services it calls. Channels (Telegram, the web chat) turn
// their own messages into DialogueInput and render Reply in their own way.

export type OwnerChannel = "telegram" | "web";

export interface PhotoRef {
  id: string;
  name: string;
  size: number;
}

export type DialogueInput =
  /** The channel's "start": /start on Telegram, opening the chat panel on the web. */
  | { kind: "start" }
  /** The web panel opened (a page loaded): the greeting, and the chat goes on where it stood. */
  | { kind: "open" }
  | { kind: "text"; text: string }
  /** A button's value, as a Reply offered it. */
  | { kind: "choice"; value: string }
  /** A shared contact card; `fromSender` only when it is the sender's own (Telegram: contact.user_id === from.id). */
  | { kind: "contact"; phone: string; fromSender: boolean }
  /** A photo the channel already stored as an attachment. */
  | { kind: "photo"; photo: PhotoRef }
  /** A photo or file the channel did not store: too large, not an image, or not asked for (no reason). */
  | { kind: "photo_refused"; reason?: string };

export interface Choice {
  value: string;
  label: string;
}

export interface Reply {
  text: string;
  choices?: Choice[];
  /** Ask for the sender's own phone as a contact card (Telegram's "share my phone" button). */
  askContact?: boolean;
}

export type MenuAction = "coverage" | "report" | "claims";

export type ReportStage = "unit" | "part" | "description" | "photos" | "estimate" | "name" | "confirm";

export interface ReportDraft {
  /** Names this report among the chat's reports: its buttons carry it, so an earlier report's buttons are stale. */
  id?: string;
  unitId?: string;
  /** The owner has this one home: it was taken without asking, and the report starts at the part. */
  onlyHome?: boolean;
  part?: BuildingPart;
  description?: string;
  photos: PhotoRef[];
  /** The owner's own estimate of the repair, in yuan; null when they said they do not know. */
  estimate?: number | null;
  reporterName?: string;
}

export type RateStage = "stars" | "reasons" | "comment";

export type Step =
  | { at: "menu" }
  | { at: "bind_contact"; next?: MenuAction }
  | { at: "bind_phone"; next?: MenuAction }
  | { at: "bind_code"; phone: string; next?: MenuAction }
  | { at: "coverage_unit" }
  | { at: "coverage"; unitId: string }
  | { at: "report"; stage: ReportStage; draft: ReportDraft }
  /** 我的报案, at a page of the list (the first by default). */
  | { at: "claims"; page?: number }
  | { at: "claim"; claimId: string }
  | { at: "rate"; claimId: string; number: string; stage: RateStage; stars?: number; reasons: RatingReason[] }
  /** 业主验收 accepted: asked to confirm, since it cannot be undone. */
  | { at: "accept"; claimId: string; number: string }
  /** 业主验收 refused: waiting for the reason. */
  | { at: "refuse"; claimId: string; number: string }
  /**
   * Asked mid-report whether to drop it for `then` (a menu word, a claim's button, or another phone's
   * contact card to verify): the report is kept until the owner says.
   */
  | { at: "leave"; report: Extract<Step, { at: "report" }>; then: string | { contact: string } };

export interface DialogueState {
  /** The phone this chat verified (eleven digits), or null before it did. */
  phone: string | null;
  step: Step;
}

export const INITIAL_STATE: DialogueState = { phone: null, step: { at: "menu" } };

export interface OwnerUnit {
  id: string;
  label: string;
  projectName: string;
  communityName: string;
}

export interface OwnerClaimItem {
  id: string;
  number: string;
  unitLabel: string;
  partLabel: string;
  statusLabel: string;
  /** In Kunming time, as owners read it: 2026-11-26 09:30. */
  reportedAt: string;
  canRate: boolean;
  /** The repair is done and waits for the owner's 验收. */
  canConfirm: boolean;
}

export interface OwnerClaimTimeline {
  /** The repair is done and waits for the owner's 验收. */
  canConfirm: boolean;
  number: string;
  statusLabel: string;
  unitLabel: string;
  /** `at` in Kunming time, as owners read it. */
  steps: { at: string; label: string; detail?: string }[];
  canRate: boolean;
}

/** What the conversation may do; every call names the verified phone it acts for. */
export interface DialogueServices {
  channel: OwnerChannel;
  hotline: string;
  /** Today in Kunming (YYYY-MM-DD), on the platform's clock. */
  today(): string;
  ownerUnits(phone: string): Promise<OwnerUnit[]>;
  /** The cover of one of the phone's own units; null for any other unit. */
  coverage(phone: string, unitId: string): Promise<UnitCoverage | null>;
  /** Throws ValidationError by field (unitId, part, description, photos, estimate, reporterName); ConflictError for the same report again. */
  reportClaim(
    phone: string,
    draft: Required<Pick<ReportDraft, "unitId" | "part" | "description" | "reporterName">> & {
      photos: PhotoRef[];
      estimate: number | null;
    },
  ): Promise<{ id: string; number: string }>;
  ownerClaims(phone: string): Promise<OwnerClaimItem[]>;
  /** Throws NotFoundError when the claim is not the phone's. */
  ownerClaimTimeline(phone: string, claimId: string): Promise<OwnerClaimTimeline>;
  rateClaim(phone: string, claimId: string, input: { stars: number; reasons: RatingReason[]; comment?: string }): Promise<void>;
  /** 业主验收. Throws NotFoundError (not the phone's), ConflictError (not waiting), ValidationError by field (reason). */
  confirmRepair(phone: string, claimId: string, input: { decision: "accept" | "refuse"; reason?: string }): Promise<void>;
  /** Web only: send a one-time code to the phone. */
  requestCode(phone: string): Promise<CodeOutcome>;
  verifyCode(phone: string, code: string): Promise<CodeOutcome>;
  /** Until when (HH:mm, Kunming) the code sent to the phone can be typed; null when it is spent (locked, expired) or none was sent. */
  codeValidUntil(phone: string): Promise<string | null>;
}

export interface DialogueResult {
  state: DialogueState;
  replies: Reply[];
}
