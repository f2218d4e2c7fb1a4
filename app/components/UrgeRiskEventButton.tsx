import { UrgeButton } from "./UrgeButton";

/** Where 催办 of a risk event is posted: the risk list's action (urgeRiskEvent), from any page. */
export const URGE_RISK_EVENT_ACTION = "/risk?index";

/** The insurer's 催办 of one event: it reminds whoever does its open step (整改 or 复核). */
export function UrgeRiskEventButton({ eventId, stepName, size }: { eventId: string; stepName: string; size?: "small" | "middle" }) {
  return <UrgeButton stepName={stepName} action={URGE_RISK_EVENT_ACTION} fixed={{ eventId }} size={size} />;
}
