import { UrgeButton, type UrgedStep } from "./UrgeButton";

/** Where 催办 of a risk event is posted: the risk list's action (urgeRiskEvent), from any page. */
export const URGE_RISK_EVENT_ACTION = "/risk?index";

/** The insurer's 催办 of one event: it reminds whoever does its open step (整改 or 复核). */
export function UrgeRiskEventButton({ eventId, step, size }: { eventId: string; step: UrgedStep; size?: "small" | "middle" }) {
  return <UrgeButton step={step} action={URGE_RISK_EVENT_ACTION} fixed={{ eventId }} size={size} />;
}
