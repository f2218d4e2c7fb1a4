import { composeApp } from "~/server/composition.server";
import { configureZodMessages } from "~/server/zod-locale.server";

// What the app's entry (app/main.server.ts) sets up once, for tests that call services directly.
configureZodMessages();
composeApp();
