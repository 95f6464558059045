import { Option } from "commander";
import { textTable } from "../format";
import type { Register } from "./options";
import { print } from "../output";

/** `--harness-file`, defaulting to the environment the app reads too. */
export const harnessFileOption = () => new Option("--harness-file <file>", "JSON file of more harness presets, by name (they may carry serve)").env("EVALBENCH_HARNESS_FILE");

/** `evalbench harnesses` */
export const registerHarnesses: Register = (program) => {
  program
    .command("harnesses")
    .description("list the harness presets (runtime policy: provider, concurrency, retries, system prompt, scaffold, sandbox; the model server a preset starts)")
    .addOption(harnessFileOption())
    .option("--json", "print the presets' full configs as JSON")
    .action(async (options: { harnessFile?: string; json?: boolean }) => {
      const { harnessPresets } = await import("@/lib/runner/harness");
      const presets = harnessPresets(options.harnessFile ?? null);
      if (options.json) return print(JSON.stringify(presets, null, 2));
      const rows = Object.entries(presets).map(([name, { config: c, serve }]) => [name, String(c.concurrency), String(c.max_retries), `${c.timeout_ms} ms`, c.scaffold, c.system_prompt ? "yes" : "-", serve ? `${serve.command} (${serve.timeout_s} s)` : "-", c.description]);
      print(textTable(["HARNESS", "CONCURRENCY", "RETRIES", "TIMEOUT", "SCAFFOLD", "SYSTEM PROMPT", "SERVE", "DESCRIPTION"], rows));
    });
};
