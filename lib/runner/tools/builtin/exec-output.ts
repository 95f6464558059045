import { describeFailure, type ExecResult } from "@/lib/sandbox/types";
import type { ToolOutput } from "../define-tool";

/** An execution as the model reads it: exit status, stdout, stderr, and why the sandbox stopped it. */
export function execOutput(result: ExecResult): ToolOutput {
  const failure = describeFailure(result);
  const parts = [`exit code: ${result.exit_code ?? "none"}${failure ? ` (${failure})` : ""}`];
  if (result.stdout) parts.push(`stdout:\n${result.stdout}`);
  if (result.stderr) parts.push(`stderr:\n${result.stderr}`);
  const error = failure ?? (result.exit_code === 0 ? null : `exit code ${result.exit_code}`);
  return { output: parts.join("\n"), error };
}
