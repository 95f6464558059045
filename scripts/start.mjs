// `npm start`: serves evalbench on 127.0.0.1:$PORT (default 3000) over $EVALBENCH_WORKSPACE
// (default ./workspace), building first when there is no build yet.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { hostProblem } from "./host-rule.mjs";

const host = process.env.HOST ?? "127.0.0.1";
const port = process.env.PORT ?? "3000";
const workspace = path.resolve(process.env.EVALBENCH_WORKSPACE ?? "workspace");
// Next.js telemetry would call out to the internet; evalbench talks to no host but its own.
process.env.NEXT_TELEMETRY_DISABLED = "1";

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// The server launches runs and writes to the workspace: on any address but loopback it needs
// EVALBENCH_TOKEN, which the server then asks of every launch (and of every read with
// EVALBENCH_TOKEN_READS=1).
const problem = hostProblem(host, process.env);
if (problem) {
  console.error(`evalbench: ${problem}`);
  process.exit(1);
}
if (!fs.existsSync(".next/BUILD_ID")) {
  console.log("evalbench: building the app once (first start only): a few minutes, about 4 on a 2-core machine");
  run("npm", ["run", "--silent", "build"]);
}
console.log(`evalbench: serving workspace ${workspace} at http://${host}:${port}`);
run("npx", ["next", "start", "-H", host, "-p", port], { ...process.env, EVALBENCH_WORKSPACE: workspace });
