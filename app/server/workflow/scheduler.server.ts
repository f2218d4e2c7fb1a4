import { logger } from "../logger.server";
import { fireDueTimers } from "./timers.server";

export interface Scheduler {
  stop(): Promise<void>;
}

const pollJobs = new Map<string, () => Promise<unknown>>();

/**
 * Work another module wants done at every poll, after the timers (handing owners' messages to their
 * channels), registered at the app's start (composition.server.ts). A job that fails is logged; the
 * others and the next poll run all the same.
 */
export function onEachPoll(name: string, job: () => Promise<unknown>): () => void {
  pollJobs.set(name, job);
  return () => {
    if (pollJobs.get(name) === job) pollJobs.delete(name);
  };
}

async function runPollJobs(): Promise<void> {
  for (const [name, job] of pollJobs) {
    await job().catch((error) => logger.error({ err: error, job: name }, "poll job failed"));
  }
}

/**
 * Each app process polls for due timers. Claiming uses FOR UPDATE SKIP LOCKED, so any number of
 * processes can poll the same database and each timer still fires once. No long in-memory timeout:
 * a timer that fell due while the platform was down fires on the first poll after start.
 */
export function startScheduler(intervalMs = 5_000): Scheduler {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    running = fireDueTimers()
      .then((n) => n && logger.info({ fired: n }, "timers fired"))
      .catch((error) => logger.error({ err: error }, "timer poll failed"))
      .then(runPollJobs);
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
