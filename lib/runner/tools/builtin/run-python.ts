import { z } from "zod";
import { defineTool } from "../define-tool";
import { execOutput } from "./exec-output";

export const runPython = defineTool({
  name: "run_python",
  description: "Run a Python 3 program in a sandbox (no network; files persist in the working folder for this task). Returns its exit code, stdout and stderr.",
  parameters: z.object({ code: z.string().min(1).describe("the complete Python program") }),
  needs: { python: true },
  async run({ code }, context) {
    const sandbox = await context.sandbox();
    return execOutput(await sandbox.exec({ argv: ["python3", "-c", code] }, context.signal));
  },
});
