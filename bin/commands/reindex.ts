import { resolveWorkspace } from "@/lib/workspace/paths";
import { WORKSPACE_HELP, type Register } from "./options";
import { print } from "../output";

/** `evalbench reindex`: rebuilds the catalog's index from the run folders. */
export const registerReindex: Register = (program) => {
  program
    .command("reindex")
    .description("rebuild the index of runs from the run folders (or a bucket's run objects), repairing entries whose run is gone or changed")
    .option("-w, --workspace <dir>", WORKSPACE_HELP)
    .option("--verify", "also check each finished run's records.parquet against the sha256 in its run.json (reads every file)")
    .action(async (options: { workspace?: string; verify?: boolean }) => {
      const { reindex } = await import("@/lib/catalog/reindex");
      const workspace = resolveWorkspace(options.workspace);
      const report = await reindex(workspace, { verify: options.verify });
      for (const run of report.broken) print(`broken: run ${run.run_id} cannot be read: ${run.error}`);
      const repaired = report.repaired.length === 0 ? "" : ` (${report.repaired.length} added or repaired: ${report.repaired.slice(0, 5).join(", ")}${report.repaired.length > 5 ? ", ..." : ""})`;
      const dropped = report.dropped.length === 0 ? "" : `; dropped ${report.dropped.length} whose folder is gone: ${report.dropped.slice(0, 5).join(", ")}${report.dropped.length > 5 ? ", ..." : ""}`;
      print(`indexed ${report.runs} runs in ${workspace}, ${report.broken.length} broken${repaired}${dropped}`);
    });
};
