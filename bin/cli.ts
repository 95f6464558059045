import { Command } from "commander";
import { registerCompare } from "./commands/compare";
import { registerDemo } from "./commands/demo";
import { registerExternal } from "./commands/external";
import { registerImport } from "./commands/import";
import { registerHarnesses } from "./commands/harnesses";
import { registerLs } from "./commands/ls";
import { registerRescore } from "./commands/rescore";
import { registerRun } from "./commands/run";
import { registerSim } from "./commands/sim";
import { registerSuites } from "./commands/suites";
import { registerTasks } from "./commands/tasks";
import { commanderOutput, printError } from "./output";

const program = new Command()
  .name("evalbench")
  .description("Evaluate checkpoints, keep every per-question record, compare runs question by question.")
  .configureOutput(commanderOutput)
  .showHelpAfterError();

for (const register of [registerDemo, registerLs, registerCompare, registerRun, registerTasks, registerSuites, registerHarnesses, registerRescore, registerSim, registerImport, registerExternal]) register(program);

// Every failure ends as one line on stderr naming what is wrong, and exit status 1.
program.parseAsync().catch((error: unknown) => {
  printError(`evalbench: ${(error as Error).message}`);
  process.exit(1);
});
