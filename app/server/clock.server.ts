// The platform's clock. Everything that depends on time asks it, so tests can move time
// (throttle windows now; timers and SLAs with the workflow runtime).
let source: () => Date = () => new Date();

export const clock = {
  now: (): Date => source(),
};

export function setClock(next: () => Date): void {
  source = next;
}

export function resetClock(): void {
  source = () => new Date();
}
