import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { RunFailure } from "@/lib/runner/run";
import { serveTemplateProblem } from "./serve-template";
import { shellQuote } from "./shell";

/**
 * A model server per checkpoint: `--serve 'vllm serve {checkpoint} --port {port}'` is started on a
 * free port in its own process group, waited for until it answers GET /v1/models, and stopped with
 * its whole group afterwards. Its output goes to a log file; a server that fails to start or dies
 * is an error carrying the log's last lines.
 */

/** The placeholders a serve command may hold; {port} it must. */
export function checkServeCommand(command: string): void {
  const problem = serveTemplateProblem(command);
  if (problem) throw new Error(`--serve '${command}' ${problem}`);
}

/** The shell line a serve command becomes: the checkpoint quoted for the shell, the port a number. */
export function serveLine(command: string, checkpoint: string | null, port: number): string {
  if (command.includes("{checkpoint}") && checkpoint === null) throw new Error(`--serve '${command}' uses {checkpoint}: name the checkpoint with --checkpoint PATH`);
  return command.replaceAll("{port}", String(port)).replaceAll("{checkpoint}", shellQuote(checkpoint ?? ""));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The last lines of a log, for an error message. */
export function logTail(file: string, lines = 8): string {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return "(no log)";
  }
  return text.trimEnd().split("\n").slice(-lines).join("\n") || "(empty log)";
}

export interface ServeOptions {
  command: string;
  checkpoint: string | null;
  log: string;
  /** The port it is to listen on (from freePort()). */
  port: number;
  /** How long the server may take to answer /v1/models (loading weights takes minutes for big models). */
  timeoutMs: number;
  /** Stopping: SIGTERM to the group, then SIGKILL after this long. */
  graceMs?: number;
}

export interface ModelServer {
  /** Base URL of its OpenAI-compatible API, ending in /v1. */
  url: string;
  port: number;
  log: string;
  /** Aborts with the server's error when it exits before stop() is called. */
  died: AbortSignal;
  stop(): Promise<void>;
}

export class ServeError extends RunFailure {
  constructor(message: string, log: string) {
    super(`${message}; last lines of its log ${log}:\n${logTail(log)}`);
    this.name = "ServeError";
  }
}

function exited(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(describeExit(child.exitCode, child.signalCode));
    child.once("exit", (code, signal) => resolve(describeExit(code, signal)));
    child.once("error", (error) => resolve(`could not start: ${error.message}`));
  });
}

const describeExit = (code: number | null, signal: NodeJS.Signals | null) => (signal ? `was killed by ${signal}` : `exited with status ${code}`);

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/models`, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Signals the whole process group (the shell and everything it started), ignoring a group already gone. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // the group has ended
  }
}

/** Starts the server and resolves once it answers GET /v1/models; throws ServeError otherwise. */
export async function startModelServer(options: ServeOptions): Promise<ModelServer> {
  checkServeCommand(options.command);
  const { port } = options;
  const line = serveLine(options.command, options.checkpoint, port);
  fs.mkdirSync(path.dirname(options.log), { recursive: true });
  const out = fs.openSync(options.log, "a");
  fs.writeSync(out, `evalbench: starting the model server on port ${port}: ${line}\n`);
  let child: ChildProcess;
  try {
    // Its own process group, so that stop() reaches whatever the shell line started; and a watchdog
    // in that group kills it when this process dies without stopping it (a kill -9, a killed job):
    // a model server must never outlive its run holding a GPU.
    const watchdog = `(while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -KILL 0) &`;
    child = spawn("/bin/sh", ["-c", `${watchdog} exec /bin/sh -c ${shellQuote(line)}`], { stdio: ["ignore", out, out], detached: true });
  } finally {
    fs.closeSync(out);
  }
  const url = `http://127.0.0.1:${port}/v1`;
  const controller = new AbortController();
  let stopping = false;
  const exit = exited(child).then((how) => {
    if (!stopping) controller.abort(new ServeError(`the model server (${line}) ${how}`, options.log));
    return how;
  });
  const stop = async () => {
    stopping = true;
    signalGroup(child, "SIGTERM");
    const grace = new Promise((resolve) => setTimeout(resolve, options.graceMs ?? 10_000).unref());
    if ((await Promise.race([exit.then(() => "exited"), grace])) !== "exited") signalGroup(child, "SIGKILL");
    await exit;
    // a server that forked and left its children behind in the group
    signalGroup(child, "SIGKILL");
  };
  const deadline = Date.now() + options.timeoutMs;
  while (!(await answers(url))) {
    if (controller.signal.aborted) throw controller.signal.reason as ServeError;
    if (Date.now() > deadline) {
      await stop();
      throw new ServeError(`the model server (${line}) did not answer ${url}/models within ${Math.round(options.timeoutMs / 1000)} s (--serve-timeout)`, options.log);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, port, log: options.log, died: controller.signal, stop };
}
