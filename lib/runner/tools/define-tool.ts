import { z } from "zod";
import { Needs, type NeedsInput } from "@/lib/sandbox/capabilities";
import type { Session } from "@/lib/sandbox/types";
import type { ToolSpec } from "../providers/types";

/** What a tool gets besides its arguments: the question's sandbox (opened on first use). */
export interface ToolContext {
  sandbox(): Promise<Session>;
  signal: AbortSignal;
}

/** What a tool returns to the model; `error` marks a failed call (still shown to the model). */
export interface ToolOutput {
  output: string;
  error: string | null;
}

export interface Tool<P extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  parameters: P;
  /** What its sandbox must offer; null for a tool that runs no code. */
  needs: Needs | null;
  run(args: z.infer<P>, context: ToolContext): Promise<ToolOutput>;
}

/**
 * A tool the model can call: its arguments are a zod object (the JSON schema sent to the model is
 * derived from it, and the model's arguments are validated against it before `run`). One tool
 * serves any task and harness that names it.
 */
export function defineTool<P extends z.ZodObject>(definition: { name: string; description: string; parameters: P; needs?: NeedsInput; run: Tool<P>["run"] }): Tool<P> {
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(definition.name)) throw new Error(`tool name "${definition.name}" must be 1-64 letters, digits, _ or - (the chat API's rule)`);
  return { ...definition, needs: definition.needs === undefined ? null : Needs.parse(definition.needs) };
}

/** The tool as the chat API receives it. */
export function toolSpec(tool: Tool): ToolSpec {
  const parameters = z.toJSONSchema(tool.parameters) as Record<string, unknown>;
  // The chat API takes the schema object itself; the dialect marker is noise to the model.
  delete parameters.$schema;
  return { type: "function", function: { name: tool.name, description: tool.description, parameters } };
}
