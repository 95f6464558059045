// `npm start`: serves evalbench on 127.0.0.1:$PORT (default 3000) over $EVALBENCH_WORKSPACE
// (default ./workspace), building first when there is no build yet.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const host = process.env.HOST ?? "127.0.0.1";
const port = process.env.PORT ?? "3000";
const workspace = path.resolve(process.env.EVALBENCH_WORKSPACE ?? "workspace");
// Next.js telemetry would call out to the internet; evalbench talks to no host but its own.
process.env.NEXT_TELEMETRY_DISABLED = "1";

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// The server can write to the workspace (imports, demo runs) and has no login yet: it serves this
// machine only. Reach it from elsewhere through an SSH tunnel (ssh -L 3000:127.0.0.1:3000 host).
if (!["127.0.0.1", "localhost", "::1"].includes(host)) {
  console.error(`evalbench: refusing to listen on ${host}: the app has no authentication yet, so it serves 127.0.0.1 only; use an SSH tunnel to reach it from another machine`);
  process.exit(1);
}
if (!fs.existsSync(".next/BUILD_ID")) run("npm", ["run", "build"]);
console.log(`evalbench: serving workspace ${workspace} at http://${host}:${port}`);
run("npx", ["next", "start", "-H", host, "-p", port], { ...process.env, EVALBENCH_WORKSPACE: workspace });
