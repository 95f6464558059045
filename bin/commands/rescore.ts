import { resolveWorkspace } from "@/lib/workspace/paths";
import { metricText } from "../format";
import { WORKSPACE_HELP, type Register } from "./options";
import { print } from "../output";

/** `evalbench rescore` */
export const registerRescore: Register = (program) => {
  program
    .command("rescore")
    .description("re-score a run's stored responses with the current scorers, into a new run; no model is called")
    .argument("<RUN>", "run id")
    .option("-w, --workspace <dir>", WORKSPACE_HELP)
    .action(async (runId: string, options: { workspace?: string }) => {
      const [{ rescoreRun }, { requireRun }] = await Promise.all([import("@/lib/runner/rescore"), import("@/lib/compare/load-node")]);
      const workspace = resolveWorkspace(options.workspace);
      const before = await requireRun(workspace, runId);
      const { runId: newId, manifest, changed } = await rescoreRun(workspace, runId);
      const metric = manifest.primary_metric;
      const was = before.metrics[metric];
      const now = manifest.metrics[metric];
      print(`${newId}: ${metric} ${metricText(now?.value ?? null, now?.se ?? null)} (was ${metricText(was?.value ?? null, was?.se ?? null)} in ${runId}); ${changed} record(s) changed score`);
    });
};
