import { resolveWorkspace } from "@/lib/workspace/paths";
import { catalogTable } from "../format";
import { WORKSPACE_HELP, type Register } from "./options";
import { print } from "../output";

/** `evalbench ls`: read from the catalog's index, each run checked against its folder by size (unless --no-check). */
export const registerLs: Register = (program) => {
  program
    .command("ls")
    .description("list the runs in a workspace")
    .option("-w, --workspace <dir>", WORKSPACE_HELP)
    .option("--json", "print a JSON array of run manifests, one per line")
    .option("--no-check", "list from the index alone, without checking each run's files (on a bucket, checking lists every object under runs/)")
    .action(async (options: { workspace?: string; json?: boolean; check: boolean }) => {
      const { listCatalog } = await import("@/lib/catalog/list");
      const runs = await listCatalog(resolveWorkspace(options.workspace), { manifests: options.json, check: options.check });
      const broken = runs.filter((run) => run.problem !== null);
      if (options.json) {
        // the index's manifests as they are, but the status a listing shows (a dead writer's run is interrupted)
        const manifests = runs.flatMap((run) => {
          if (run.problem !== null || run.manifest === null) return [];
          return [run.status === run.summary?.status ? run.manifest : JSON.stringify({ ...JSON.parse(run.manifest), status: run.status })];
        });
        // printed a thousand manifests at a time: 100,000 of them are about 100 MB, better not copied whole thrice
        if (manifests.length === 0) print("[]");
        for (let start = 0; start < manifests.length; start += 1000) {
          const last = start + 1000 >= manifests.length;
          print(`${start === 0 ? "[\n" : ""}${manifests.slice(start, start + 1000).join(",\n")}${last ? "\n]" : ","}`);
        }
      } else print(catalogTable(runs));
      if (broken.length > 0) {
        throw new Error(broken.map((run) => `run ${run.run_id} cannot be read: ${run.problem}`).join("\n"));
      }
    });
};
