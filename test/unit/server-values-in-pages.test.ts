import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

// A page renders in the browser too, where Remix replaces every server module (*.server.ts, and all
// of app/server/) with an empty one: a value a component takes from there is undefined in the
// browser while the server's render had it. The report page once chose its layout by a constant
// imported so, and broke after hydration only. Values a component reads come from app/shared/.

const root = path.resolve(import.meta.dirname, "../..");
const SERVER_IMPORT = /^import \{([^}]*)\} from "((?:~\/server|\.\.\/server)\/[^"]+|[^"]+\.server)";/gm;
// Where a module's browser code begins: its first component.
const FIRST_COMPONENT = /^(?:export default function|export function [A-Z]|function [A-Z])/m;

function serverValuesInComponents(file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  const names = [...text.matchAll(SERVER_IMPORT)].flatMap((m) =>
    m[1]
      .split(",")
      .map((n) => n.trim())
      .filter((n) => n && !n.startsWith("type "))
      .map((n) => n.split(" as ").at(-1)!.trim()),
  );
  const start = text.search(FIRST_COMPONENT);
  if (start < 0) return [];
  const components = text.slice(start);
  return names.filter((n) => new RegExp(`\\b${n}\\b`).test(components)).map((n) => `${file}: ${n}`);
}

it("no page or component reads in its browser code a value imported from a server module", () => {
  const files = ["app/routes", "app/components"].flatMap((dir) =>
    readdirSync(path.join(root, dir))
      .filter((f) => f.endsWith(".tsx"))
      .map((f) => `${dir}/${f}`),
  );
  expect(files.length).toBeGreaterThan(50);
  expect(files.flatMap(serverValuesInComponents)).toEqual([]);
});
