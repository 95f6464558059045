// `npm run bench`: runs every benchmark in its own process (so each measures a cold start) and
// passes their JSON lines through. Figures only: nothing here passes or fails on time.
import { spawnSync } from "node:child_process";
import path from "node:path";

const BENCHES = ["writer.ts", "catalog.ts", "stats.ts", "run-page.ts", "compare-page.ts", "series-page.ts", "publish.ts", "publish-series.ts", "import.ts", "runner.ts", "real-server.ts", "sandbox.ts", "cli.ts", "cluster.ts", "s3-writer.ts"];

let failed = 0;
for (const bench of BENCHES) {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, bench)], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`bench ${bench} exited with status ${result.status}`);
    failed += 1;
  }
}
process.exit(failed === 0 ? 0 : 1);
