import { Command } from "commander";
import * as verbs from "./commands";
import { commanderOutput, printError } from "./output";

const program = new Command()
  .name("evalbench")
  .description("Evaluate checkpoints, keep every per-question record, compare runs question by question.")
  .configureHelp({ sortSubcommands: true })
  .configureOutput(commanderOutput)
  .showHelpAfterError();

for (const register of Object.values(verbs)) register(program);

// Every failure ends as one line on stderr naming what is wrong, and exit status 1.
program.parseAsync().catch((error: unknown) => {
  printError(`evalbench: ${(error as Error).message}`);
  process.exit(1);
});
