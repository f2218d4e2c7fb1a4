import { deliverOwnerMessages } from "../claims/owner-claims.server";
import { logger } from "../logger.server";
import { fireDueTimers } from "./timers.server";

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * Each app process polls for due timers. Claiming uses FOR UPDATE SKIP LOCKED, so any number of
 * processes can poll the same database and each timer still fires once. No long in-memory timeout:
 * a timer that fell due while the platform was down fires on the first poll after start. The same
 * poll hands owners' claim messages to their channels (the Telegram bot), when one is running.
 */
export function startScheduler(intervalMs = 5_000): Scheduler {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = fireDueTimers()
      .then((n) => n && logger.info({ fired: n }, "timers fired"))
      .catch((error) => logger.error({ err: error }, "timer poll failed"))
      .then(() => deliverOwnerMessages())
      .catch((error) => logger.error({ err: error }, "owner messages poll failed"));
  };
  tick();
  const handle = setInterval(() => void running.then(tick), intervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(handle);
      await running;
    },
  };
}
