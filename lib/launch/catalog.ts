import { HARNESS_PRESETS } from "@/lib/runner/harness";
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

/** Harness presets with their one-line descriptions. */
export function harnessChoices(): { name: string; description: string }[] {
  return Object.entries(HARNESS_PRESETS).map(([name, config]) => ({ name, description: config.description }));
}
