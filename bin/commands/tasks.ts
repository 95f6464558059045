import { textTable } from "../format";
import type { Register } from "./options";
import { print } from "../output";

/** `evalbench tasks` */
export const registerTasks: Register = (program) => {
  program
    .command("tasks")
    .description("list the built-in tasks and their variants")
    .option("--json", "print the tasks with their full configs as JSON")
    .action(async (options: { json?: boolean }) => {
      const [, { getTask, taskNames, variantsOf }] = await Promise.all([import("@/lib/runner/tasks"), import("@/lib/runner/registry")]);
      if (options.json) {
        print(JSON.stringify(taskNames().map((name) => ({ name, config: getTask(name).config, variants: Object.fromEntries(variantsOf(name)) })), null, 2));
        return;
      }
      const rows = taskNames().flatMap((name) => {
        const { config } = getTask(name);
        const subtasks = config.data.subtasks ? `${config.data.subtasks.length} subtasks` : "";
        return [
          [name, config.formulation, config.primary_metric, subtasks, config.description],
          ...variantsOf(name).map(([variant, description]) => [`${name}:${variant}`, "", "", "", description]),
        ];
      });
      print(textTable(["TASK", "FORMULATION", "PRIMARY", "SUBTASKS", "DESCRIPTION"], rows));
    });
};
