import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chainOf as routeChain, readManifest, type ManifestRoute } from "../../app/build/remix-manifest";

// What each page weighs in the browser, read from a production build (`npm run build`): Remix's
// asset manifest (build/client/manifest-*.js: the routes, their parents and modules) and esbuild's
// metafile (build/metafile.js.json: which file imports which, and what each holds). A page's first
// load is the client entry, the root and the route's module with its parents', and every chunk they
// import statically, transitively; a chunk only reached through `import()` loads later, where it
// is drawn (a diagram, a chart, a dialog, a form's controls). Sizes are gzipped as a server sends
// them (zlib's default level), file by file as the browser fetches them. docs/decisions/042.

/** One drawn route's weights, in bytes gzipped. */
export interface RouteWeight {
  /** Remix's route id, e.g. "routes/_app.inbox". */
  route: string;
  /** The URL pattern, e.g. "/projects/:id"; a layout says so ("/admin (layout)", "/ (_app)"). */
  path: string;
  /**
   * The frame the route is drawn in: the route under the root that its chain passes through
   * ("routes/_app" for the staff's pages), or the route itself when it hangs from the root.
   */
  frame: string;
  /** JavaScript of a first load of the route: entry + root + the route and its parents, all their static imports. */
  firstLoadJs: number;
  /**
   * JavaScript a client-side navigation to the route loads at most: what its first load holds
   * beyond the entry, the root and its frame, which every page of the frame has loaded already
   * (from the lightest page of the frame; from most pages it is less).
   */
  routeChangeJs: number;
  /** Stylesheets the route's modules (root, parents, the route and their imports) link. */
  css: number;
  /** Files of the first load (JS). */
  files: number;
  /** The npm packages whose code the first load's JavaScript holds (antd, react-dom, …). */
  packages: string[];
}

interface Metafile {
  outputs: Record<
    string,
    { imports: { path: string; kind: string }[]; exports: string[]; inputs: Record<string, { bytesInOutput: number }> }
  >;
}

const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];

/** The build's routes and what each first load holds, with the files' gzipped sizes. */
function analyse(buildDir: string) {
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

  const graph = new Map<string, { js: string[]; css: string[]; drawn: boolean; packages: string[] }>();
  for (const [key, output] of Object.entries(meta.outputs)) {
    if (!key.startsWith(metaPrefix)) continue;
    const inputs = Object.keys(output.inputs);
    graph.set(fromMeta(key), {
      js: output.imports.filter((i) => i.kind === "import-statement").map((i) => fromMeta(i.path)),
      css: output.imports.filter((i) => i.kind === "file-loader" && i.path.endsWith(".css")).map((i) => fromMeta(i.path)),
      // A resource route's browser module is empty (its default export a stub of its own): a
      // drawn route's holds its component, compiled from its source file.
      drawn: output.exports.includes("default") && inputs.some((i) => i.startsWith("app/")),
      // Code only: a stylesheet a module links is named in it by its address, not carried.
      packages: [
        ...new Set(
          inputs
            .filter((i) => !i.endsWith(".css"))
            .map(packageOf)
            .filter((p): p is string => !!p),
        ),
      ],
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

  const chainOf = (route: ManifestRoute) => routeChain(manifest, route);
  const hasChildren = new Set(Object.values(manifest.routes).map((r) => r.parentId));
  const urlOf = (chain: ManifestRoute[]) => {
    const route = chain[chain.length - 1];
    if (route.id === "root") return "(root)";
    const url = "/" + chain.flatMap((r) => (r.path ? [r.path] : [])).join("/");
    return hasChildren.has(route.id) ? `${url} (${route.path ? "layout" : route.id.replace(/^routes\//, "")})` : url;
  };
  const entry = fromUrl(manifest.entry.module);
  const routeOf = (id: string) => {
    const route = manifest.routes[id];
    if (!route) throw new Error(`the build has no route ${id}`);
    return route;
  };
  /** The first load of a route: its files and stylesheets. */
  const firstLoad = (id: string) => closure([entry, ...chainOf(routeOf(id)).map((r) => fromUrl(r.module))]);
  return { manifest, graph, fromUrl, entry, closure, sum, chainOf, urlOf, firstLoad };
}

/**
 * JavaScript a client-side navigation from the route `from` to the route `to` loads: what the
 * first load of `to` holds beyond that of `from` (signing in: "routes/login" → the role's home).
 */
export function navigationJs(buildDir: string, from: string, to: string): number {
  const { firstLoad, sum } = analyse(buildDir);
  const loaded = firstLoad(from).js;
  return sum([...firstLoad(to).js].filter((f) => !loaded.has(f)));
}

/** The weights of every drawn route (pages and layouts, not resource routes) of the build under `buildDir` (e.g. "build"). */
export function routeWeights(buildDir: string): RouteWeight[] {
  const { manifest, graph, fromUrl, entry, closure, sum, chainOf, urlOf } = analyse(buildDir);
  return Object.values(manifest.routes)
    .filter((route) => graph.get(fromUrl(route.module))?.drawn)
    .map((route) => {
      const chain = chainOf(route);
      const modules = chain.map((r) => fromUrl(r.module));
      // [root, frame, …]: the frame is the chain's second route (the route itself under the root).
      const frame = chain[Math.min(1, chain.length - 1)];
      const all = closure([entry, ...modules]);
      const loaded = closure([entry, ...modules.slice(0, Math.min(2, modules.length - 1))]);
      return {
        route: route.id,
        path: urlOf(chain),
        frame: frame.id,
        firstLoadJs: sum(all.js),
        routeChangeJs: sum([...all.js].filter((f) => !loaded.js.has(f))),
        css: sum(all.css),
        files: all.js.size,
        packages: [...new Set([...all.js].flatMap((f) => graph.get(f)!.packages))].sort(),
      };
    });
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** The weights as a text table (KB gzipped), heaviest first load first. */
export function weightsTable(rows: RouteWeight[]): string {
  const sorted = [...rows].sort((a, b) => b.firstLoadJs - a.firstLoadJs);
  const width = Math.max(5, ...sorted.map((r) => r.path.length));
  const head = `${"route".padEnd(width)}  first-load JS  route-change JS    CSS  (KB gz)`;
  const lines = sorted.map(
    (r) => `${r.path.padEnd(width)}  ${kb(r.firstLoadJs).padStart(13)}  ${kb(r.routeChangeJs).padStart(15)}  ${kb(r.css).padStart(5)}`,
  );
  return [head, ...lines].join("\n");
}

// `npx tsx test/support/weights.ts [buildDir]` prints the table.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  console.log(weightsTable(routeWeights(process.argv[2] ?? "build")));
}
