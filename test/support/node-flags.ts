import { readFileSync } from "node:fs";

/**
 * The flags `npm start` gives node (package.json's `config.nodeFlags`): the tests, the proof and the
 * bench run the app as it runs in service (docs/decisions/043), and the bench's engine floors too.
 */
export const APP_NODE_FLAGS: string[] = JSON.parse(readFileSync("package.json", "utf8")).config.nodeFlags.split(/\s+/);
