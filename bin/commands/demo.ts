import { resolveWorkspace } from "@/lib/workspace/paths";
import { positiveInt, WORKSPACE_HELP, type Register } from "./options";
import { print } from "../output";

/** `evalbench demo` */
export const registerDemo: Register = (program) => {
  program
    .command("demo")
    .description("fill a workspace with clearly labelled demo runs: built-in tasks on synthetic data, run by the real runner against simulated checkpoints")
    .option("-w, --workspace <dir>", WORKSPACE_HELP)
    .option("--size <n>", "questions per task", positiveInt, 1000)
    .option("--seed <n>", "seed of the simulated answers", positiveInt, 2024)
    .action(async (options: { workspace?: string; size: number; seed: number }) => {
      const { writeDemoWorkspace } = await import("@/lib/demo");
      const workspace = resolveWorkspace(options.workspace);
      const { written, skipped } = await writeDemoWorkspace(workspace, { size: options.size, seed: options.seed });
      print(`wrote ${written.length} demo runs to ${workspace}${skipped.length ? ` (${skipped.length} already there, left as they were)` : ""}`);
      print("next: npm start, then open http://127.0.0.1:3000");
    });
};
