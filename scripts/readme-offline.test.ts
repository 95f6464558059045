import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { localTasks } from "@/lib/launch/request";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";

const ROOT = path.resolve(import.meta.dirname, "..");

/** The README's offline section: its bash blocks, continuation lines joined, comments dropped. */
function offlineCommands(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = /### Two minutes, offline[\s\S]*?(?=\n## )/.exec(readme)?.[0];
  if (!section) throw new Error("README.md has no offline section");
  return [...section.matchAll(/```bash\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]
      .replace(/\\\n\s*/g, " ")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "" && !line.startsWith("#")),
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

/** A README command as a process: `node_modules/.bin/evalbench ARGS`, its port moved to a free one. */
function args(command: string, port: number): string[] {
  const words = command.replace(/ &$/, "").replaceAll("8000", String(port)).split(/\s+/);
  expect(words[0]).toBe("node_modules/.bin/evalbench");
  return [path.join(ROOT, "bin", "evalbench.mjs"), ...words.slice(1)];
}

const children: ReturnType<typeof spawn>[] = [];
afterAll(() => {
  for (const child of children) child.kill("SIGTERM");
});

describe("the README's offline path", () => {
  const commands = offlineCommands();

  it("starts the app on the data folder that holds both tasks", () => {
    const start = commands.find((c) => c.endsWith("npm start"))!;
    const dir = /EVALBENCH_DATA=(\S+)/.exec(start)![1];
    expect(localTasks(path.join(ROOT, dir))).toEqual(expect.arrayContaining(["arc_easy", "gsm8k"]));
  });

  it("the simulator it starts answers the run it shows, offline, and both tasks complete", async () => {
    const port = await freePort();
    const sim = spawn(process.execPath, args(commands.find((c) => c.includes(" sim "))!, port), { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    children.push(sim);
    await new Promise<void>((resolve, reject) => {
      sim.stdout!.on("data", (chunk: Buffer) => (String(chunk).includes("listening") ? resolve() : undefined));
      sim.once("exit", (code) => reject(new Error(`evalbench sim exited with ${code}`)));
    });
    const workspace = tempWorkspace();
    const run = spawnSync(process.execPath, [...args(commands.find((c) => c.includes(" run "))!, port), "--workspace", workspace], { cwd: ROOT, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/gsm8k-tiny-step-1000-\w+ +complete +gsm8k +exact_match .* n 6 /);
    expect(run.stdout).toMatch(/arc_easy-tiny-step-1000-\w+ +complete +arc_easy +exact_match .* n 5 /);
  }, 60_000);
});
