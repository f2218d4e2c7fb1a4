// After `remix build` (npm run build): the browser's scripts regrouped into fewer files, none of
// them heavier for any page (docs/decisions/046).
//
// esbuild, Remix's compiler, splits shared code by *which entries reach it*: each route module is an
// entry, so a module that the frame `_app` and three of its pages import lands in a chunk apart from
// one the frame and four pages import, although every page of the frame loads both. A staff page
// loaded about 90 files, and each file costs the browser a request, a parse and a link on every
// page it opens, cached or not. Here the chunks are grouped by *which pages load them*: chunks that
// exactly the same pages load on a first load go into one file. A page then loads exactly the code
// it loaded before, in fewer files; a move from one page to another loads exactly what it did.
//
// Rollup does the regrouping, from esbuild's output (its files are rollup's modules). The route
// modules keep their exports; every file gets a name from its new content; Remix's asset manifest
// (the client's file and the server build's copy) and esbuild's metafile (what each file holds,
// read by test/support/weights.ts) are rewritten to match.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { rollup, type OutputChunk } from "rollup";
import { chainOf, manifestFileIn, readManifest, type Manifest } from "./remix-manifest";

const PUBLIC_PATH = "/assets/";

interface MetaOutput {
  imports: { path: string; kind: string; external?: boolean }[];
  exports: string[];
  entryPoint?: string;
  inputs: Record<string, { bytesInOutput: number }>;
  bytes: number;
}
interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, MetaOutput>;
  merged?: boolean;
}

const hashOf = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 8);

/**
 * The shared chunks, grouped by the pages whose first load holds them (a page: a route with its
 * parents, the root and the client entry). Returns each chunk's group, by URL.
 */
function groupsByPages(manifest: Manifest): Map<string, string> {
  const pagesOf = new Map<string, string[]>();
  for (const page of Object.values(manifest.routes)) {
    const loaded = new Set(manifest.entry.imports);
    for (const route of chainOf(manifest, page)) for (const url of route.imports ?? []) loaded.add(url);
    for (const url of loaded) pagesOf.set(url, [...(pagesOf.get(url) ?? []), page.id]);
  }
  const groups = new Map<string, string>();
  const names = new Map<string, string>();
  for (const [url, pages] of pagesOf) {
    const key = pages.join("\n");
    if (!names.has(key)) names.set(key, `shared${names.size}`);
    groups.set(url, names.get(key)!);
  }
  return groups;
}

export async function mergeChunks(buildDir: string): Promise<{ before: number; after: number } | null> {
  const clientDir = path.resolve(buildDir, "client");
  const manifestFile = manifestFileIn(clientDir);
  const manifest = readManifest(buildDir);
  const metaPath = path.join(buildDir, "metafile.js.json");
  const meta = JSON.parse(readFileSync(metaPath, "utf8")) as Metafile;
  // Merged already (remix build writes a new metafile, without the mark).
  if (meta.merged) return null;

  // A file's path under the client directory, as URLs and the metafile name it.
  const underClient = (file: string) => path.relative(clientDir, file).split(path.sep).join("/");
  const fileOf = (url: string) => path.join(clientDir, url.slice(PUBLIC_PATH.length));
  const urlOf = (file: string) => PUBLIC_PATH + underClient(file);
  // The metafile names files from the project's root ("build/client/…").
  const entryName = manifest.entry.module.slice(PUBLIC_PATH.length);
  const entryKey = Object.keys(meta.outputs).find((k) => k.endsWith(`/${entryName}`));
  if (!entryKey) throw new Error(`the metafile does not hold ${entryName}`);
  const metaPrefix = entryKey.slice(0, -entryName.length);
  const metaKey = (file: string) => metaPrefix + underClient(file);

  // The entries: the client entry and every route's module (a resource route's too: it is loaded
  // for a fetcher, and imports esbuild's helpers).
  const routes = Object.values(manifest.routes);
  const input: Record<string, string> = { "entry.client": fileOf(manifest.entry.module) };
  for (const route of routes) input[route.id] = fileOf(route.module);
  const groups = groupsByPages(manifest);
  // A file's name: what it was (without esbuild's hash) and a hash of what it is now.
  const nameOf = (file: string) => underClient(file).replace(/-[A-Z0-9]+\.js$/, "");

  const bundle = await rollup({
    input,
    preserveEntrySignatures: "strict",
    // esbuild has shaken the code already; rollup only regroups it.
    treeshake: false,
    plugins: [
      {
        name: "assets",
        resolveId: (source) => (source.startsWith(PUBLIC_PATH) ? fileOf(source) : null),
      },
    ],
    onLog(level, log) {
      if (level === "warn") throw new Error(`merging the chunks: ${log.message}`);
    },
  });
  const outDir = path.join(buildDir, ".merged");
  rmSync(outDir, { recursive: true, force: true });
  const { output } = await bundle.write({
    dir: outDir,
    format: "es",
    manualChunks: (id) => groups.get(urlOf(id)),
    entryFileNames: (chunk) => `${nameOf(chunk.facadeModuleId!)}-[hash].js`,
    chunkFileNames: (chunk) => `_shared/${chunk.name.replace(/-[A-Z0-9]{8}$/, "")}-[hash].js`,
    hashCharacters: "base36",
    hoistTransitiveImports: false,
  });
  await bundle.close();
  const chunks = output.filter((o): o is OutputChunk => o.type === "chunk");

  const read = new Set(chunks.flatMap((c) => Object.keys(c.modules)));

  // The manifest: each entry's module and, as Remix lists them, every file it imports statically.
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const staticImports = (fileName: string, seen = new Set<string>()): Set<string> => {
    for (const imported of byName.get(fileName)!.imports)
      if (!seen.has(imported)) {
        seen.add(imported);
        staticImports(imported, seen);
      }
    return seen;
  };
  const entryChunks = new Map(chunks.filter((c) => c.isEntry).map((c) => [c.facadeModuleId!, c.fileName]));
  const asUrls = (fileName: string) => [...staticImports(fileName)].map((f) => PUBLIC_PATH + f);
  const entry = entryChunks.get(input["entry.client"])!;
  manifest.entry = { module: PUBLIC_PATH + entry, imports: asUrls(entry) };
  for (const route of routes) {
    const fileName = entryChunks.get(input[route.id])!;
    route.module = PUBLIC_PATH + fileName;
    route.imports = asUrls(fileName);
  }
  const { version: _version, url: _url, ...content } = manifest;
  manifest.version = hashOf(JSON.stringify(content));
  manifest.url = `${PUBLIC_PATH}manifest-${manifest.version}.js`;

  // The server build's copy of the manifest, which writes each page's script and preload tags.
  const serverPath = path.join(buildDir, "index.js");
  const server = readFileSync(serverPath, "utf8");
  const declaration = /^var assets_manifest_default = \{.*\};$/m;
  if (!declaration.test(server)) throw new Error("the server build holds no asset manifest where expected");

  // esbuild's metafile, for the files that changed: each holds what the files it was made of held.
  const old = new Map([...read].map((file) => [file, meta.outputs[metaKey(file)]]));
  for (const file of read) delete meta.outputs[metaKey(file)];
  for (const chunk of chunks) {
    const inputs: MetaOutput["inputs"] = {};
    // What else its files named: the stylesheets a route module links.
    const assets = new Map<string, MetaOutput["imports"][number]>();
    for (const module of Object.keys(chunk.modules)) {
      Object.assign(inputs, old.get(module)?.inputs ?? {});
      for (const i of old.get(module)?.imports ?? []) if (!/^(import-statement|dynamic-import)$/.test(i.kind)) assets.set(i.path, i);
    }
    const entryPoint = chunk.facadeModuleId ? old.get(chunk.facadeModuleId)?.entryPoint : undefined;
    meta.outputs[metaKey(path.join(clientDir, chunk.fileName))] = {
      imports: [
        ...chunk.imports.map((f) => ({ path: metaKey(path.join(clientDir, f)), kind: "import-statement" })),
        ...chunk.dynamicImports.map((f) => ({ path: metaKey(path.join(clientDir, f)), kind: "dynamic-import" })),
        ...assets.values(),
      ],
      exports: chunk.exports,
      ...(entryPoint ? { entryPoint } : {}),
      inputs,
      bytes: Buffer.byteLength(chunk.code),
    };
  }
  meta.merged = true;

  // Everything worked out: esbuild's files out, rollup's in, then the manifest, the server build
  // and the metafile that name them.
  for (const file of read) rmSync(file);
  for (const chunk of chunks) renameSync(path.join(outDir, chunk.fileName), path.join(clientDir, chunk.fileName));
  rmSync(outDir, { recursive: true, force: true });
  rmSync(path.join(clientDir, manifestFile));
  writeFileSync(fileOf(manifest.url), `window.__remixManifest=${JSON.stringify(manifest)};`);
  writeFileSync(
    serverPath,
    server.replace(declaration, () => `var assets_manifest_default = ${JSON.stringify(manifest)};`),
  );
  writeFileSync(metaPath, JSON.stringify(meta));
  return { before: read.size, after: chunks.length };
}

// `tsx app/build/merge-chunks.ts [buildDir]`, as `npm run build` runs it.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const merged = await mergeChunks(process.argv[2] ?? "build");
  console.info(
    merged ? `merged the browser's scripts: ${merged.before} files into ${merged.after}` : "the browser's scripts were merged already",
  );
}
