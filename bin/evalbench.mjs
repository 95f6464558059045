#!/usr/bin/env node
// The `evalbench` command: runs the CLI as compiled by bin/build.mjs, which starts in a fraction of
// the time tsx takes to compile bin/cli.ts. When a source changed since that build, it rebuilds
// first (well under a second, said once on stderr), so nobody runs stale code. Should building
// itself fail (e.g. a read-only install), it runs the sources with tsx instead.
import { build, freshBuild } from "./build.mjs";

let entry = freshBuild();
if (!entry) {
  const started = performance.now();
  try {
    entry = await build();
    console.error(`evalbench: note: compiled the CLI from its changed sources in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    // esbuild has said what is wrong with the sources, which tsx could not run either
    if (error.errors) process.exit(1);
    console.error(`evalbench: note: cannot build the CLI (${error.message.split("\n")[0]}); running its sources with tsx`);
    const { register } = await import("tsx/esm/api");
    // this project's tsconfig for the `@/` paths, so it works from any folder
    register({ tsconfig: new URL("../tsconfig.json", import.meta.url).pathname });
    entry = "./cli.ts";
  }
}
await import(entry);
