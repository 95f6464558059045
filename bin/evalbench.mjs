#!/usr/bin/env node
// The `evalbench` command: registers tsx (resolved next to this file, with this project's
// tsconfig for the `@/` paths, so it works from any folder) and runs the TypeScript CLI.
import { register } from "tsx/esm/api";

register({ tsconfig: new URL("../tsconfig.json", import.meta.url).pathname });
await import("./cli.ts");
