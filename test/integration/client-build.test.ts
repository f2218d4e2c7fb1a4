import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { currentBuild } from "../support/platform";
import { manifestFileIn, readManifest } from "~/build/remix-manifest";

// The browser's scripts as `npm run build` leaves them, after their regrouping (docs/decisions/046):
// every file a page, a fetcher or a script may load is there, under the name the manifest gives,
// and the server writes pages from the same manifest the browser reads.

currentBuild();
const clientDir = path.resolve("build/client");
const manifest = readManifest("build");
const scripts = readdirSync(clientDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js"));

/** A script's imports as files under the client directory: static (`from`, bare `import`) or all, `import()` too. */
function importsOf(file: string, { dynamic = true } = {}): string[] {
  const text = readFileSync(path.join(clientDir, file), "utf8");
  const pattern = dynamic ? /\b(?:from|import)\s*\(?\s*["']([^"'\s]+\.js)["']/g : /\b(?:from|import)\s*["']([^"'\s]+\.js)["']/g;
  return [...text.matchAll(pattern)].map(([, specifier]) =>
    specifier.startsWith("/assets/")
      ? specifier.slice("/assets/".length)
      : path.relative(clientDir, path.resolve(path.dirname(path.join(clientDir, file)), specifier)),
  );
}
const underClient = (url: string) => url.replace(/^\/assets\//, "");

describe("the browser's scripts", () => {
  it("name only files the build holds, from every script", () => {
    expect(scripts.length).toBeGreaterThan(100);
    const missing = scripts.flatMap((file) =>
      importsOf(file)
        .filter((f) => !existsSync(path.join(clientDir, f)))
        .map((f) => `${file} → ${f}`),
    );
    expect(missing).toEqual([]);
  });

  it("are where the manifest says, each route's module and imports, a resource route's too", () => {
    const routes = Object.values(manifest.routes);
    const named = [manifest.entry.module, ...manifest.entry.imports, ...routes.flatMap((r) => [r.module, ...(r.imports ?? [])])];
    expect(named.filter((url) => !existsSync(path.join(clientDir, underClient(url))))).toEqual([]);
    // What each route's module imports statically is listed, as Remix preloads it with the page.
    const unlisted = routes.flatMap((route) => {
      const listed = new Set((route.imports ?? []).map(underClient));
      return importsOf(underClient(route.module), { dynamic: false })
        .filter((f) => !listed.has(f))
        .map((f) => `${route.id} → ${f}`);
    });
    expect(unlisted).toEqual([]);
  });

  it("are named in the server build by the manifest the browser reads", () => {
    const file = manifestFileIn(clientDir);
    const server = readFileSync("build/index.js", "utf8");
    expect(server).toContain(`/assets/${file}`);
    expect(server).toContain(manifest.entry.module);
  });
});
