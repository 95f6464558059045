import { harnessPresets } from "@/lib/runner/harness";
import { getTask, taskNames, variantsOf } from "@/lib/runner/registry";
import { allSuites } from "@/lib/runner/suites";
import "@/lib/runner/tasks";

/** A choice of the launch form's task list. */
export interface TaskChoice {
  spec: string;
  kind: "task" | "variant" | "suite";
  description: string;
}

/** Everything runnable, from the registry: tasks, their variants, suites. */
export function taskChoices(): TaskChoice[] {
  return [
    ...taskNames().flatMap((name): TaskChoice[] => [
      { spec: name, kind: "task", description: getTask(name).config.description },
      ...variantsOf(name).map(([variant, description]): TaskChoice => ({ spec: `${name}:${variant}`, kind: "variant", description })),
    ]),
    ...allSuites().map((suite): TaskChoice => ({ spec: suite.name, kind: "suite", description: `${suite.description} (${suite.tasks.join(", ")})` })),
  ];
}

/** A harness preset as the form offers it: its serve template is shown, read-only, never sent back. */
export interface HarnessChoice {
  name: string;
  description: string;
  serve: { command: string; timeout_s: number } | null;
}

/** Harness presets (built-in and the server's harness file) with their descriptions; a broken file is said, and the built-ins still offered. */
export function harnessChoices(file: string | null): { choices: HarnessChoice[]; error: string | null } {
  let presets;
  let error: string | null = null;
  try {
    presets = harnessPresets(file);
  } catch (e) {
    presets = harnessPresets(null);
    error = `${(e as Error).message}; only the built-in presets are offered until it is fixed (EVALBENCH_HARNESS_FILE)`;
  }
  return { choices: Object.entries(presets).map(([name, { config, serve }]) => ({ name, description: config.description, serve })), error };
}
