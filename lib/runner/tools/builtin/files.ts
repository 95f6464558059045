import { z } from "zod";
import { defineTool } from "../define-tool";
import { execOutput } from "./exec-output";

// Both run inside the sandbox, so a path (or a symlink the model made) can never reach the host's files.
const path = z.string().min(1).describe("path relative to the working folder");

export const readFile = defineTool({
  name: "read_file",
  description: "Read a text file from the sandbox's working folder.",
  parameters: z.object({ path }),
  needs: { shell: true },
  async run(args, context) {
    const sandbox = await context.sandbox();
    const result = await sandbox.exec({ argv: ["sh", "-c", 'cat -- "$1"', "sh", args.path] }, context.signal);
    return result.exit_code === 0 && result.failure === null ? { output: result.stdout, error: null } : execOutput(result);
  },
});

export const writeFile = defineTool({
  name: "write_file",
  description: "Write a text file in the sandbox's working folder (folders are created as needed; an existing file is replaced).",
  parameters: z.object({ path, content: z.string() }),
  needs: { shell: true },
  async run(args, context) {
    const sandbox = await context.sandbox();
    const result = await sandbox.exec({ argv: ["sh", "-c", 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1"', "sh", args.path], stdin: args.content }, context.signal);
    return result.exit_code === 0 && result.failure === null ? { output: `wrote ${Buffer.byteLength(args.content)} bytes to ${args.path}`, error: null } : execOutput(result);
  },
});
