import { didYouMean } from "../suggest";
import type { Tool } from "./define-tool";

const tools = new Map<string, Tool>();

/** Adds a tool under its name, for harnesses to name in `tools`. */
export function registerTool<T extends Tool>(tool: T): T {
  if (tools.has(tool.name)) throw new Error(`tool ${tool.name} is registered twice`);
  tools.set(tool.name, tool as unknown as Tool);
  return tool;
}

export function toolNames(): string[] {
  return [...tools.keys()].sort();
}

export function getTool(name: string): Tool {
  const tool = tools.get(name);
  if (!tool) throw new Error(`unknown tool ${name}${didYouMean(name, toolNames())}; tools: ${toolNames().join(", ")}`);
  return tool;
}
