// Compiles the CLI (bin/cli.ts and what it imports from this repository) with esbuild into
// dist/cli/<build>/, one chunk per lazily imported module, packages left to node_modules. Node then
// starts it in a fraction of the time tsx takes to compile the TypeScript at every start.
// dist/cli/build.json names the current build and the modification time and size of every source
// it was made from; bin/evalbench.mjs runs it only while they all still match. A build is never
// modified once written, so a process running an older one keeps loading its chunks.
// `node bin/build.mjs` builds unless the current build is up to date (npm runs it in `prepare`,
// so on `npm ci` and `npm install`, and before `npm run build`).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const OUT = path.join(ROOT, "dist", "cli");
const STAMP = path.join(OUT, "build.json");
/**
 * A build superseded longer ago than this is deleted by the next build: a process started on it
 * loads its chunks in its first second.
 */
const KEEP_SUPERSEDED_MS = 3600_000;

/** What a source looks like on disk; any change (an edit, a checkout) changes it. */
function signature(file) {
  try {
    const stat = fs.statSync(path.join(ROOT, file));
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return "missing";
  }
}

/** The URL of the current build's entry when every source is as it was built from, else null. */
export function freshBuild() {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(STAMP, "utf8"));
  } catch {
    return null;
  }
  for (const [file, was] of Object.entries(stamp.inputs)) if (signature(file) !== was) return null;
  const entry = path.join(OUT, stamp.build, "cli.js");
  return fs.existsSync(entry) ? pathToFileURL(entry).href : null;
}

/**
 * `import.meta.url` of a bundled source becomes its own file's URL (relative to the chunk, so the
 * folder can move), so files it locates beside itself, e.g. the Parquet encoder thread
 * lib/workspace/parquet-thread.mjs, are found where they are.
 */
const sourceImportMetaUrl = (outdir) => ({
  name: "source-import-meta-url",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, "utf8");
      if (!text.includes("import.meta.url")) return undefined;
      const relative = JSON.stringify(path.relative(outdir, args.path).split(path.sep).join("/"));
      return { contents: text.replaceAll("import.meta.url", `new URL(${relative}, import.meta.url).href`), loader: "ts" };
    });
  },
});

/** Builds the CLI and makes it the current build; returns the URL of its entry. */
export async function build() {
  const { build: esbuild } = await import("esbuild");
  const started = Date.now();
  const name = `${started.toString(36)}-${process.pid}`;
  const outdir = path.join(OUT, name);
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: { cli: "bin/cli.ts" },
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    chunkNames: "chunk-[hash]",
    metafile: true,
    logLevel: "error",
    plugins: [sourceImportMetaUrl(outdir)],
    // written below, so that esbuild's errors are only ever about the sources
    write: false,
  });
  fs.mkdirSync(outdir, { recursive: true });
  for (const file of result.outputFiles) fs.writeFileSync(file.path, file.contents);
  const files = [...Object.keys(result.metafile.inputs), "tsconfig.json", "package.json", "bin/build.mjs"];
  // a source changed while it was being built may have been read before the change: leave it unmatched
  const inputs = Object.fromEntries(files.map((file) => [file, fs.statSync(path.join(ROOT, file)).mtimeMs < started ? signature(file) : "changed during the build"]));
  const temp = `${STAMP}.${process.pid}`;
  fs.writeFileSync(temp, JSON.stringify({ build: name, inputs }, null, 1));
  fs.renameSync(temp, STAMP);
  // builds are named by the time they were made, so each one's successor says when it was superseded
  const builds = fs.readdirSync(OUT).filter((entry) => !entry.startsWith("build.json")).sort();
  for (let i = 0; i + 1 < builds.length; i++) {
    if (started - parseInt(builds[i + 1], 36) > KEEP_SUPERSEDED_MS) fs.rmSync(path.join(OUT, builds[i]), { recursive: true, force: true });
  }
  return pathToFileURL(path.join(outdir, "cli.js")).href;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const fresh = freshBuild() !== null;
  if (!fresh) await build();
  console.log(fresh ? "the compiled CLI is up to date" : `compiled the CLI into ${path.relative(process.cwd(), OUT)} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
}
