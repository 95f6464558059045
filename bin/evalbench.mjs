#!/usr/bin/env node
// The `evalbench` command: registers tsx (resolved next to this file, so it works from any folder)
// and runs the TypeScript CLI.
import { register } from "tsx/esm/api";

register();
await import("./cli.ts");
