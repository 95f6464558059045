import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const HERE = import.meta.dirname;

/**
 * The folder holding llama-server and llama-finetune, built from node-llama-cpp's bundled
 * llama.cpp source when missing (about 25 minutes on 2 cores, once per llama.cpp commit, cached
 * outside the repository). A build that fails throws its reason: the real-server tests fail, they
 * never skip.
 */
export function llamaBin(): string {
  try {
    return execFileSync("bash", [path.join(HERE, "build-llama-server.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  } catch (error) {
    throw new Error(`could not build llama-server (real-server/build-llama-server.sh failed: ${(error as Error).message.split("\n")[0]}); see its output above`);
  }
}

/** The llama.cpp source the binaries were built from (its gguf-py writes the tiny model). */
export const llamaSource = (bin: string) => path.resolve(bin, "..", "..");

/** Writes the tiny test model (same seed, same file every time) and returns its path. */
export function tinyModel(bin: string, dir = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-tiny-"))): string {
  const file = path.join(dir, "tiny.gguf");
  execFileSync("/usr/bin/python3", [path.join(HERE, "tiny_model.py"), llamaSource(bin), file], { stdio: ["ignore", "ignore", "inherit"] });
  return file;
}

export interface LlamaServer {
  /** Base URL of its OpenAI-compatible API. */
  url: string;
  process: ChildProcess;
  stop: () => Promise<void>;
}

export interface LlamaServerOptions {
  bin: string;
  model: string;
  port: number;
  /** The model id /v1/models lists. */
  alias?: string;
  /** Requests served at once (slots). */
  parallel?: number;
  /** More llama-server flags. */
  extra?: string[];
}

/**
 * Starts llama-server on loopback as the command line does (one thread on 2 cores) and
 * waits until it answers /health; stop() ends it (SIGTERM, then SIGKILL after 5 s).
 */
export async function startLlamaServer({ bin, model, port, alias = "tiny", parallel = 8, extra = [] }: LlamaServerOptions): Promise<LlamaServer> {
  const args = ["-m", model, "--host", "127.0.0.1", "--port", String(port), "-c", String(2048 * parallel), "-np", String(parallel), "-t", "1", "--alias", alias, "--no-webui", ...extra];
  // Its log goes to a file: a pipe would fill up while a test blocks (spawnSync) and stall the server.
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-llama-")), "llama-server.log");
  const fd = fs.openSync(logFile, "w");
  const child = spawn(path.join(bin, "llama-server"), args, { stdio: ["ignore", fd, fd] });
  fs.closeSync(fd);
  const output = () => fs.readFileSync(logFile, "utf8").slice(-20_000);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`llama-server exited while starting (${child.exitCode ?? child.signalCode}):\n${output()}`);
    const healthy = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`llama-server did not answer /health within 60 s:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url: `${url}/v1`,
    process: child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
