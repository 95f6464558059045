import { resolveWorkspace } from "@/lib/workspace/paths";
import { textTable } from "../format";
import { WORKSPACE_HELP, type Register } from "./options";
import { print } from "../output";

/** `evalbench suites` */
export const registerSuites: Register = (program) => {
  program
    .command("suites")
    .description("list the suites (groups of tasks run with -t SUITE), and their aggregates over the runs in a workspace")
    .option("-w, --workspace <dir>", WORKSPACE_HELP)
    .action(async (options: { workspace?: string }) => {
      const [, { suiteResults }, { allSuites }, { listRuns }] = await Promise.all([import("@/lib/runner/tasks"), import("@/lib/runner/suite-results"), import("@/lib/runner/suites"), import("@/lib/catalog/list")]);
      print(textTable(["SUITE", "AGGREGATE", "TASKS", "DESCRIPTION"], allSuites().map((s) => [s.name, s.aggregate, s.tasks.join(" "), s.description])));
      const workspace = resolveWorkspace(options.workspace);
      const manifests = (await listRuns(workspace)).flatMap((e) => (e.ok ? [e.manifest] : []));
      const lines = await suiteResults(manifests, workspace);
      if (lines.length > 0) print(["", `in ${workspace}:`, ...lines].join("\n"));
    });
};
