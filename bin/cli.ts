import { Command } from "commander";
import { registerCompare } from "./commands/compare";
import { registerDemo } from "./commands/demo";
import { registerExternal } from "./commands/external";
import { registerImport } from "./commands/import";
import { registerHarnesses } from "./commands/harnesses";
import { registerLs } from "./commands/ls";
import { registerMatrix } from "./commands/matrix";
import { registerRescore } from "./commands/rescore";
import { registerRun } from "./commands/run";
import { registerSeries } from "./commands/series";
import { registerSim } from "./commands/sim";
import { registerSuites } from "./commands/suites";
import { registerTasks } from "./commands/tasks";

const program = new Command()
  .name("evalbench")
  .description("Evaluate checkpoints, keep every per-question record, compare runs question by question.")
  .showHelpAfterError();

for (const register of [registerDemo, registerLs, registerCompare, registerSeries, registerMatrix, registerRun, registerTasks, registerSuites, registerHarnesses, registerRescore, registerSim, registerImport, registerExternal]) register(program);

// Every failure ends as one line on stderr naming what is wrong, and exit status 1.
program.parseAsync().catch((error: unknown) => {
  console.error(`evalbench: ${(error as Error).message}`);
  process.exit(1);
});
