// The process entry, compiled with the app into build/index.js (remix.config.js `server`), and the
// one place that puts the platform together: the server (app/server/) with the channels that stand
// on its services (bots/) and the demo city (seed/). Nothing in app/server/ imports those two.
import { fileURLToPath, pathToFileURL } from "node:url";
import * as build from "@remix-run/dev/server-build";
import type { ServerBuild } from "@remix-run/node";
import type { Db } from "@db/client";
import { registerOwnerNotices } from "../bots/notices";
import { startTelegram } from "../bots/telegram";
import { chatTakesPhotos } from "../bots/web-chat";
import { seedDemoCity } from "~/demo/demo-city";
import { DEMO_USERS } from "~/demo/demo-organisations";
import { seedDemoProjects } from "~/demo/demo-projects-seed";
import { composeApp } from "./server/composition.server";
import { env } from "./server/env.server";
import { logger } from "./server/logger.server";
import { configureZodMessages } from "./server/zod-locale.server";
import { assetsDirOf, startHttpServer, type Channels, type RunningServer } from "./server/http/server.server";

const serverBuild = build as unknown as ServerBuild;
configureZodMessages();
composeApp();

/** The owners' channels: a message to the owner at every claim step, the Telegram bot (when configured), the web chat. */
const ownerChannels: Channels = {
  start(app) {
    registerOwnerNotices();
    return startTelegram(app);
  },
  chatTakesPhotos,
};

/**
 * The demo city, on the first start only: its organisations and users, then (`SEED_DEMO_PROJECTS`)
 * its projects taken through the flows. `seed: false` (or `SEED_DEMO=false`) starts empty.
 */
function demoCity(seed: boolean | undefined): ((db: Db) => Promise<unknown>)[] {
  const e = env();
  if (!(seed ?? e.SEED_DEMO === "true")) return [];
  const city = async (db: Db) => (await seedDemoCity(db, { password: e.DEMO_PASSWORD })) && logger.info("demo city seeded");
  return e.SEED_DEMO_PROJECTS === "true" ? [city, () => seedDemoProjects()] : [city];
}

export function startPlatform(options: { port?: number; url?: string; dataDir?: string; seed?: boolean } = {}): Promise<RunningServer> {
  const { seed, ...where } = options;
  return startHttpServer({
    ...where,
    build: serverBuild,
    assetsDir: assetsDirOf(fileURLToPath(import.meta.url)),
    channels: ownerChannels,
    startupTasks: demoCity(seed),
  });
}

async function main() {
  const e = env();
  const running = await startPlatform();
  logger.info(
    `昆明市住宅工程质量潜在缺陷保险信息平台 listening on ${running.url} (${e.DATABASE_URL ? "PostgreSQL" : `PGlite at ${e.PGLITE_DIR}`})`,
  );
  if (e.SEED_DEMO === "true") {
    logger.info(`demo accounts: ${DEMO_USERS.map((u) => u.username).join(", ")} — password ${e.DEMO_PASSWORD}`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    await running.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    logger.fatal({ err: error }, "start-up failed");
    process.exit(1);
  });
}
