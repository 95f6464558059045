import { z } from "zod";
import { defineTool } from "../define-tool";
import { execOutput } from "./exec-output";

export const runShell = defineTool({
  name: "run_shell",
  description: "Run a POSIX shell command in a sandbox (no network; the working folder persists for this task). Returns its exit code, stdout and stderr.",
  parameters: z.object({ command: z.string().min(1).describe("the shell command line") }),
  needs: { shell: true },
  async run({ command }, context) {
    const sandbox = await context.sandbox();
    return execOutput(await sandbox.exec({ argv: ["sh", "-c", command] }, context.signal));
  },
});
