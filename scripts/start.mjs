// `npm start`: serves evalbench on 127.0.0.1:$PORT (default 3000) over $EVALBENCH_WORKSPACE
// (default ./workspace), building first when there is no build yet.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const host = process.env.HOST ?? "127.0.0.1";
const port = process.env.PORT ?? "3000";
const workspace = path.resolve(process.env.EVALBENCH_WORKSPACE ?? "workspace");

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!fs.existsSync(".next/BUILD_ID")) run("npm", ["run", "build"]);
console.log(`evalbench: serving workspace ${workspace} at http://${host}:${port}`);
run("npx", ["next", "start", "-H", host, "-p", port], { ...process.env, EVALBENCH_WORKSPACE: workspace });
