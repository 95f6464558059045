// The published viewer's JavaScript and CSS: the app's own page components (components/compare,
// the series and matrix pages of components/series) bundled by esbuild for a static folder, with viewer/ standing
// in for what Next provides (links, lazy components) and for the app's API (published answers). Built once per set of sources and cached outside the repository, under
// ~/.cache/evalbench/viewer/, keyed like the compiled CLI (bin/build.mjs): the size and
// modification time of every input.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Next's modules the page components use, and what the viewer puts in their place. */
const STAND_INS: Record<string, string> = {
  "next/link": "viewer/next-link.tsx",
  "next/dynamic": "viewer/next-dynamic.tsx",
  "next/navigation": "viewer/next-navigation.ts",
};

function cacheDir(): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
  const checkout = createHash("sha256").update(ROOT).digest("hex").slice(0, 12);
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "evalbench", "viewer", `${version}-${checkout}`);
}

function signature(file: string): string {
  const stat = fs.statSync(path.join(ROOT, file), { throwIfNoEntry: false });
  return stat ? `${stat.mtimeMs}:${stat.size}` : "missing";
}

interface Stamp {
  build: string;
  inputs: Record<string, string>;
}

/** The folder of a bundle built from the sources as they are now, or null. */
function freshBundle(dir: string): string | null {
  let stamp: Stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(dir, "build.json"), "utf8")) as Stamp;
  } catch {
    return null;
  }
  for (const [file, was] of Object.entries(stamp.inputs)) if (signature(file) !== was) return null;
  const out = path.join(dir, stamp.build);
  return fs.existsSync(path.join(out, "main.js")) ? out : null;
}

/**
 * The viewer's bundle folder (main.js, main.css, the two workers and their shared chunks), built
 * now unless the cached one is up to date. Its name goes into the bundle as its build, which keys
 * the reports the browser keeps (lib/query/report-store.ts).
 */
export async function viewerBundle(): Promise<string> {
  const dir = cacheDir();
  const fresh = freshBundle(dir);
  if (fresh) return fresh;
  const { build } = await import("esbuild");
  const started = Date.now();
  const name = `${started.toString(36)}-${process.pid}`;
  const outdir = path.join(dir, name);
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: "viewer/main.tsx", "compare.worker": "lib/query/compare.worker.ts", "row-text.worker": "lib/query/row-text.worker.ts" },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    minify: true,
    chunkNames: "chunk-[hash]",
    metafile: true,
    logLevel: "error",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    define: { "process.env.NODE_ENV": '"production"', "process.env.EVALBENCH_BUILD": JSON.stringify(`viewer-${name}`) },
    plugins: [
      {
        name: "viewer-stand-ins",
        setup(b) {
          b.onResolve({ filter: /^next\/(link|dynamic|navigation)$/ }, (args) => ({ path: path.join(ROOT, STAND_INS[args.path]) }));
          // the series pages' fetches of the app's API read the answers published beside the viewer
          b.onResolve({ filter: /^\.\/use-json$/ }, (args) => (args.resolveDir === path.join(ROOT, "components", "series") ? { path: path.join(ROOT, "viewer", "use-json.ts") } : undefined));
          // the app's workers are separate entry points here, compiled to .js beside the chunks
          b.onLoad({ filter: /lib[\\/]query[\\/](compare-worker|row-text)\.ts$/ }, async (args) => ({
            contents: (await fs.promises.readFile(args.path, "utf8")).replace(/\.worker\.ts(["'])/g, ".worker.js$1"),
            loader: "ts",
          }));
        },
      },
    ],
    write: false,
  });
  fs.mkdirSync(outdir, { recursive: true });
  for (const file of result.outputFiles) fs.writeFileSync(file.path, file.contents);
  const files = [...Object.keys(result.metafile.inputs).filter((f) => !f.startsWith("(")), "package.json", "tsconfig.json"];
  const inputs = Object.fromEntries(files.map((file) => [file, fs.statSync(path.join(ROOT, file)).mtimeMs < started ? signature(file) : "changed during the build"]));
  const temp = path.join(dir, `build.json.${process.pid}`);
  fs.writeFileSync(temp, JSON.stringify({ build: name, inputs } satisfies Stamp));
  fs.renameSync(temp, path.join(dir, "build.json"));
  return outdir;
}
