import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

// Remix's asset manifest as a build leaves it (build/client/manifest-<version>.js): the client
// entry, each route with its parent, module and the files it imports statically. Read by the build's
// regrouping of the scripts (merge-chunks.ts) and by the weights the tests hold (test/support/weights.ts).

export interface ManifestRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  module: string;
  imports?: string[];
  [other: string]: unknown;
}

export interface Manifest {
  entry: { module: string; imports: string[] };
  routes: Record<string, ManifestRoute>;
  version: string;
  url: string;
}

/** The manifest's file name in a build's client directory. */
export function manifestFileIn(clientDir: string): string {
  const file = readdirSync(clientDir).find((f) => /^manifest-[A-Za-z0-9]+\.js$/.test(f));
  if (!file) throw new Error(`no manifest in ${clientDir}: run \`npm run build\` first`);
  return file;
}

/** The build's asset manifest, as the browser gets it (`window.__remixManifest=…;`). */
export function readManifest(buildDir: string): Manifest {
  const clientDir = path.join(buildDir, "client");
  const text = readFileSync(path.join(clientDir, manifestFileIn(clientDir)), "utf8");
  return JSON.parse(text.slice(text.indexOf("=") + 1).replace(/;\s*$/, "")) as Manifest;
}

/** A route's chain from the root down to it. */
export function chainOf(manifest: Manifest, route: ManifestRoute): ManifestRoute[] {
  const chain: ManifestRoute[] = [];
  for (let r: ManifestRoute | undefined = route; r; r = r.parentId ? manifest.routes[r.parentId] : undefined) chain.unshift(r);
  return chain;
}
