// The built-in tools: importing this registers them.
import { registerTool } from "../registry";
import { readFile, writeFile } from "./files";
import { runPython } from "./run-python";
import { runShell } from "./run-shell";

registerTool(runPython);
registerTool(runShell);
registerTool(readFile);
registerTool(writeFile);
