import { resolveWorkspace } from "@/lib/workspace/paths";
import { catalogTable } from "../format";
import { WORKSPACE_HELP, type Register } from "./options";
import { print } from "../output";

/** `evalbench ls` */
export const registerLs: Register = (program) => {
  program
    .command("ls")
    .description("list the runs in a workspace")
    .option("-w, --workspace <dir>", WORKSPACE_HELP)
    .option("--json", "print a JSON array of run manifests")
    .action(async (options: { workspace?: string; json?: boolean }) => {
      const { workspaceRuns } = await import("@/lib/workspace/store");
      const entries = await workspaceRuns(resolveWorkspace(options.workspace));
      const broken = entries.filter((entry) => !entry.ok);
      if (options.json) print(JSON.stringify(entries.flatMap((e) => (e.ok ? [{ ...e.manifest, status: e.status }] : [])), null, 2));
      else print(catalogTable(entries));
      if (broken.length > 0) {
        throw new Error(broken.map((e) => `run ${e.run_id} cannot be read: ${!e.ok && e.error}`).join("\n"));
      }
    });
};
