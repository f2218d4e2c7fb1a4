import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

// What each page weighs in the browser, read from a production build (`npm run build`): Remix's
// asset manifest (build/client/manifest-*.js: the routes, their parents and modules) and esbuild's
// metafile (build/metafile.js.json: which file imports which). A page's first load is the client
// entry, the root and the route's module with its parents', and every chunk they import
// statically, transitively; a chunk only reached through `import()` loads later, where it is drawn.
// Sizes are gzipped as a server sends them (zlib's default level).

/** One route's weights, in bytes gzipped. */
export interface RouteWeight {
  /** Remix's route id, e.g. "routes/_app.inbox". */
  route: string;
  /** The URL pattern, e.g. "/projects/:id" ("(layout)" for a pathless layout). */
  path: string;
  /** JavaScript of a first load of the route: entry + root + the route and its parents, all their static imports. */
  firstLoadJs: number;
  /** JavaScript a client-side navigation to the route loads beyond what its parents (and root, entry) already loaded. */
  routeChangeJs: number;
  /** Stylesheets the route's modules (root, parents, the route) import for their links. */
  css: number;
  /** Files of the first load (JS), for a report of what weighs. */
  files: number;
}

interface ManifestRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  module: string;
  imports?: string[];
}

interface Manifest {
  entry: { module: string; imports: string[] };
  routes: Record<string, ManifestRoute>;
}

interface Metafile {
  outputs: Record<string, { imports: { path: string; kind: string }[]; exports: string[]; inputs: Record<string, unknown> }>;
}

/** The build's asset manifest, as the browser gets it (`window.__remixManifest=…;`). */
export function readManifest(buildDir: string): Manifest {
  const clientDir = path.join(buildDir, "client");
  const file = readdirSync(clientDir).find((f) => /^manifest-[A-Za-z0-9]+\.js$/.test(f));
  if (!file) throw new Error(`no manifest in ${clientDir}: run \`npm run build\` first`);
  const text = readFileSync(path.join(clientDir, file), "utf8");
  return JSON.parse(text.slice(text.indexOf("=") + 1).replace(/;\s*$/, "")) as Manifest;
}

/** A route's URL pattern from its own and its parents' path segments; a layout (a route with children) says so. */
function urlOf(manifest: Manifest, route: ManifestRoute): string {
  const segments: string[] = [];
  for (let r: ManifestRoute | undefined = route; r; r = r.parentId ? manifest.routes[r.parentId] : undefined) {
    if (r.path) segments.unshift(r.path);
  }
  const url = "/" + segments.join("/");
  if (route.id === "root") return "(root)";
  const layout = Object.values(manifest.routes).some((r) => r.parentId === route.id);
  return layout ? `${url} (${route.path ? "layout" : route.id.replace(/^routes\//, "")})` : url;
}

/** The weights of every route of the build under `buildDir` (e.g. "build"), in manifest order. */
export function routeWeights(buildDir: string): RouteWeight[] {
  const manifest = readManifest(buildDir);
  const meta = JSON.parse(readFileSync(path.join(buildDir, "metafile.js.json"), "utf8")) as Metafile;
  const clientDir = path.join(buildDir, "client");

  // The metafile names outputs from the project's root ("build/client/…"), the manifest by URL
  // ("/assets/…"): both reduced to the path under the client directory.
  const entryName = manifest.entry.module.slice(manifest.entry.module.lastIndexOf("/") + 1);
  const entryKey = Object.keys(meta.outputs).find((k) => k.endsWith(`/${entryName}`));
  if (!entryKey) throw new Error(`the metafile does not hold ${entryName}: a metafile of another build?`);
  const metaPrefix = entryKey.slice(0, -entryName.length);
  const urlPrefix = manifest.entry.module.slice(0, -entryName.length);
  const fromMeta = (key: string) => key.slice(metaPrefix.length);
  const fromUrl = (url: string) => url.slice(urlPrefix.length);

  const graph = new Map<string, { js: string[]; css: string[]; drawn: boolean }>();
  for (const [key, output] of Object.entries(meta.outputs)) {
    if (!key.startsWith(metaPrefix)) continue;
    graph.set(fromMeta(key), {
      // A resource route's browser module is empty (its default export a stub of its own): a
      // drawn route's holds its component, compiled from its source file.
      drawn: output.exports.includes("default") && Object.keys(output.inputs).some((i) => i.startsWith("app/")),
      js: output.imports.filter((i) => i.kind === "import-statement").map((i) => fromMeta(i.path)),
      css: output.imports.filter((i) => i.kind === "file-loader" && i.path.endsWith(".css")).map((i) => fromMeta(i.path)),
    });
  }

  const gzipped = new Map<string, number>();
  const gz = (file: string) => {
    let size = gzipped.get(file);
    if (size === undefined) {
      size = gzipSync(readFileSync(path.join(clientDir, file))).length;
      gzipped.set(file, size);
    }
    return size;
  };

  /** The files a set of modules loads before it runs: themselves and their static imports, transitively. */
  const closure = (modules: string[]) => {
    const js = new Set<string>();
    const css = new Set<string>();
    const visit = (file: string) => {
      if (js.has(file)) return;
      js.add(file);
      const node = graph.get(file);
      if (!node) throw new Error(`the metafile does not hold ${file}`);
      node.css.forEach((c) => css.add(c));
      node.js.forEach(visit);
    };
    modules.forEach(visit);
    return { js, css };
  };
  const sum = (files: Iterable<string>) => [...files].reduce((total, f) => total + gz(f), 0);

  const chainOf = (route: ManifestRoute): ManifestRoute[] => {
    const chain: ManifestRoute[] = [];
    for (let r: ManifestRoute | undefined = route; r; r = r.parentId ? manifest.routes[r.parentId] : undefined) chain.unshift(r);
    return chain;
  };
  const entry = fromUrl(manifest.entry.module);

  // Pages and layouts: a resource route (no component) is never drawn, its module never loaded.
  const drawn = Object.values(manifest.routes).filter((route) => graph.get(fromUrl(route.module))?.drawn);
  return drawn.map((route) => {
    const chain = chainOf(route).map((r) => fromUrl(r.module));
    const all = closure([entry, ...chain]);
    const before = closure([entry, ...chain.slice(0, -1)]);
    const added = [...all.js].filter((f) => !before.js.has(f));
    return {
      route: route.id,
      path: urlOf(manifest, route),
      firstLoadJs: sum(all.js),
      routeChangeJs: sum(added),
      css: sum(all.css),
      files: all.js.size,
    };
  });
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** The weights as a text table (KB gzipped), heaviest first load first. */
export function weightsTable(rows: RouteWeight[]): string {
  const sorted = [...rows].sort((a, b) => b.firstLoadJs - a.firstLoadJs);
  const width = Math.max(5, ...sorted.map((r) => r.path.length));
  const head = `${"route".padEnd(width)}  first-load JS  route-change JS  CSS  (KB gz)`;
  const lines = sorted.map(
    (r) => `${r.path.padEnd(width)}  ${kb(r.firstLoadJs).padStart(13)}  ${kb(r.routeChangeJs).padStart(15)}  ${kb(r.css).padStart(5)}`,
  );
  return [head, ...lines].join("\n");
}

// `npx tsx test/support/weights.ts [buildDir]` prints the table.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(weightsTable(routeWeights(process.argv[2] ?? "build")));
}
