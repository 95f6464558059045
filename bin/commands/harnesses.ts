import { textTable } from "../format";
import type { Register } from "./options";
import { print } from "../output";

/** `evalbench harnesses` */
export const registerHarnesses: Register = (program) => {
  program
    .command("harnesses")
    .description("list the harness presets (runtime policy: provider, concurrency, retries, system prompt, scaffold, sandbox)")
    .option("--harness-file <file>", "also list the presets of this JSON file")
    .option("--json", "print the presets' full configs as JSON")
    .action(async (options: { harnessFile?: string; json?: boolean }) => {
      const { HARNESS_PRESETS, readHarnessFile } = await import("@/lib/runner/harness");
      const presets = { ...HARNESS_PRESETS, ...(options.harnessFile ? readHarnessFile(options.harnessFile) : {}) };
      if (options.json) return print(JSON.stringify(presets, null, 2));
      const rows = Object.entries(presets).map(([name, c]) => [name, String(c.concurrency), String(c.max_retries), `${c.timeout_ms} ms`, c.scaffold, c.system_prompt ? "yes" : "-", c.description]);
      print(textTable(["HARNESS", "CONCURRENCY", "RETRIES", "TIMEOUT", "SCAFFOLD", "SYSTEM PROMPT", "DESCRIPTION"], rows));
    });
};
