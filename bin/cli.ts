import { Command, InvalidArgumentError } from "commander";
import { writeDemoWorkspace } from "@/lib/demo";
import { listRuns } from "@/lib/workspace/catalog";
import { resolveWorkspace } from "@/lib/workspace/paths";
import { catalogTable } from "./format";

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of at least 1");
  return n;
}

const WORKSPACE_HELP = "workspace folder (default: $EVALBENCH_WORKSPACE or ./workspace)";

const program = new Command()
  .name("evalbench")
  .description("Evaluate checkpoints, keep every per-question record, compare runs question by question.")
  .showHelpAfterError();

program
  .command("demo")
  .description("fill a workspace with clearly labelled demo runs, written through the real run writer")
  .option("-w, --workspace <dir>", WORKSPACE_HELP)
  .option("--size <n>", "questions per task", positiveInt, 1000)
  .option("--seed <n>", "seed of the simulated answers", positiveInt, 2024)
  .action((options: { workspace?: string; size: number; seed: number }) => {
    const workspace = resolveWorkspace(options.workspace);
    const { written, skipped } = writeDemoWorkspace(workspace, { size: options.size, seed: options.seed });
    console.log(`wrote ${written.length} demo runs to ${workspace}${skipped.length ? ` (${skipped.length} already there, left as they were)` : ""}`);
    console.log("next: npm start, then open http://127.0.0.1:3000");
  });

program
  .command("ls")
  .description("list the runs in a workspace")
  .option("-w, --workspace <dir>", WORKSPACE_HELP)
  .option("--json", "print a JSON array of run manifests")
  .action((options: { workspace?: string; json?: boolean }) => {
    const entries = listRuns(resolveWorkspace(options.workspace));
    const broken = entries.filter((entry) => !entry.ok);
    if (options.json) console.log(JSON.stringify(entries.flatMap((e) => (e.ok ? [{ ...e.manifest, status: e.status }] : [])), null, 2));
    else console.log(catalogTable(entries));
    if (broken.length > 0) {
      throw new Error(broken.map((e) => `run ${e.run_id} cannot be read: ${!e.ok && e.error}`).join("\n"));
    }
  });

// Every failure ends as one line on stderr naming what is wrong, and exit status 1.
program.parseAsync().catch((error: unknown) => {
  console.error(`evalbench: ${(error as Error).message}`);
  process.exit(1);
});
