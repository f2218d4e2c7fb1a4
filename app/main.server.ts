// The process entry: compiled with the app into build/index.js (remix.config.js `server`).
import { fileURLToPath, pathToFileURL } from "node:url";
import * as build from "@remix-run/dev/server-build";
import type { ServerBuild } from "@remix-run/node";
import { DEMO_USERS } from "@db/seed/demo-organisations";
import { composeApp } from "./server/composition.server";
import { env } from "./server/env.server";
import { logger } from "./server/logger.server";
import { configureZodMessages } from "./server/zod-locale.server";
import { assetsDirOf, startHttpServer, type RunningServer } from "./server/http/server.server";

const serverBuild = build as unknown as ServerBuild;
configureZodMessages();
composeApp();

export function startPlatform(options: { port?: number; url?: string; dataDir?: string; seed?: boolean } = {}): Promise<RunningServer> {
  return startHttpServer({ ...options, build: serverBuild, assetsDir: assetsDirOf(fileURLToPath(import.meta.url)) });
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
