import { formatDateTime } from "~/shared/time";

// The platform's clock. Everything that depends on time asks it, so tests can move time
// (throttle windows now; timers and SLAs with the workflow runtime).
let source: () => Date = () => new Date();

export const clock = {
  now: (): Date => source(),
  /** Today's date in Kunming on the platform's clock, YYYY-MM-DD. */
  today: (): string => formatDateTime(source(), "YYYY-MM-DD"),
};

export function setClock(next: () => Date): void {
  source = next;
}

export function resetClock(): void {
  source = () => new Date();
}

/** The clock's current source, to put back after a passage on a moved clock. */
export function clockSource(): () => Date {
  return source;
}

/** A clock that starts at `from` and runs on from there, so steps taken on it keep their order. */
export function runningFrom(from: Date): () => Date {
  const started = Date.now();
  return () => new Date(from.getTime() + (Date.now() - started));
}
