import { resetClock } from "~/server/clock.server";
import { composeApp } from "~/server/composition.server";
import { logSmsSender, useSmsSender } from "~/server/sms/sender.server";
import { configureZodMessages } from "~/server/zod-locale.server";
import { stopOwnerNotices, useTelegramApi } from "../../bots/notices";

// What the app's entry (app/main.server.ts) sets up once, for tests that call services directly.
configureZodMessages();
composeApp();

// A worker runs one test file after another and keeps the modules it loaded (docs/decisions/047);
// this file runs again before each. Each file starts as the app does, whatever the file before it
// left: on the real clock, with the log's SMS sender, no Telegram bot and nobody listening to claim
// steps. What is kept of a database's rows is kept with that database (perDatabase in
// app/server/db.server.ts).
resetClock();
useSmsSender(logSmsSender);
useTelegramApi(null);
stopOwnerNotices();
