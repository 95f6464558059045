import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listRuns } from "@/lib/catalog/list";
import { S3Objects } from "@/lib/s3/objects";
import { startS3Server, type S3Server } from "@/lib/s3/testing/s3-server";
import { readManifest } from "@/lib/workspace/manifest-file";
import { runDir } from "@/lib/workspace/paths";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { patternRegex, statePath, stepOf, watchOnce, type WatchEntry } from "./watch";

describe("the checkpoint watcher", () => {
  it("reads the step where the pattern says, else from the name's last number", () => {
    expect(stepOf("step1000", "step*")).toBe(1000);
    expect(stepOf("ckpt-7-step300", "ckpt-{step}-*")).toBe(7);
    expect(stepOf("olmo_2b_s4000", "*")).toBe(4000);
    expect(patternRegex("step*").test("step10")).toBe(true);
    expect(patternRegex("step*").test("xstep10")).toBe(false);
    expect(patternRegex("v1.{step}").test("v1x5")).toBe(false);
    expect(() => stepOf("final", "*")).toThrow("cannot read a step from the folder name final (pattern *); put {step} where the step is");
  });

  it("without a ready file, hands a folder over once its listing stayed the same for a scan, and only once", async () => {
    const ws = tempWorkspace();
    const dir = path.join(ws, "ckpts");
    fs.mkdirSync(path.join(dir, "step5"), { recursive: true });
    const options = { dir, pattern: "step*", readyFile: null, workspace: ws };
    const file = statePath(ws, dir, "step*");
    const handed: string[] = [];
    const events = {
      evaluate: async (points: { checkpoint: string | null }[], entries: WatchEntry[], save: () => void) => {
        handed.push(...points.map((p) => p.checkpoint as string));
        for (const e of entries) e.status = "submitted";
        save();
      },
      say: () => {},
    };
    const seen = new Map<string, string>();
    expect(await watchOnce(options, file, seen, events)).toBe(0);
    fs.writeFileSync(path.join(dir, "step5", "weights"), "more");
    expect(await watchOnce(options, file, seen, events), "still being written").toBe(0);
    expect(await watchOnce(options, file, seen, events)).toBe(1);
    // a restarted watcher: new memory, same state file
    const again = new Map<string, string>();
    expect(await watchOnce(options, file, again, events)).toBe(0);
    expect(await watchOnce(options, file, again, events)).toBe(0);
    expect(handed).toEqual([path.join(dir, "step5")]);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).checkpoints[path.join(dir, "step5")]).toMatchObject({ step: 5, status: "submitted" });
  });
});

/** A folder with one ready checkpoint and the `evalbench watch` arguments that evaluate it slowly (30 questions, 200 ms each, one at a time) into `workspace`. */
function slowWatch(ws: string, workspace: string) {
  const bin = path.resolve("bin", "evalbench.mjs");
  const data = path.join(ws, "q.jsonl");
  fs.writeFileSync(data, Array.from({ length: 30 }, (_, i) => JSON.stringify({ question: `What is ${i} + ${i}?`, answer: `#### ${2 * i}` })).join("\n"));
  const dir = path.join(ws, "ckpts");
  fs.mkdirSync(path.join(dir, "step7"), { recursive: true });
  fs.writeFileSync(path.join(dir, "step7", "done"), "");
  const serve = `${process.execPath} ${bin} sim --port {port} --checkpoint olmo=0.6 -t gsm8k --data ${data} -o fewshot.n=0 --latency-ms 200`;
  const args = [bin, "watch", dir, "--ready-file", "done", "--interval", "1", "-t", "gsm8k", "--data", data, "-o", "fewshot.n=0", "--concurrency", "1", "--model-name", "olmo", "--serve", serve, "-w", workspace];
  return { args };
}

describe("evalbench watch --executor local", () => {
  it("killed with its run mid-way, a restarted watcher resumes that checkpoint and records each question once", async () => {
    const ws = tempWorkspace();
    const { args } = slowWatch(ws, ws);
    const lines = (runId: string) => (fs.existsSync(path.join(runDir(ws, runId), "records.ndjson")) ? fs.readFileSync(path.join(runDir(ws, runId), "records.ndjson"), "utf8").trim().split("\n").filter(Boolean) : []);
    const runs = () => (fs.existsSync(path.join(ws, "runs")) ? fs.readdirSync(path.join(ws, "runs")) : []);

    // its own process group, killed whole: the watcher and the run it started
    const first = spawn(process.execPath, args, { detached: true, stdio: "ignore" });
    await expect.poll(() => runs().length > 0 && lines(runs()[0]).length >= 3, { timeout: 60_000, interval: 200 }).toBe(true);
    process.kill(-(first.pid as number), "SIGKILL");
    const [runId] = runs();
    const before = lines(runId).length;
    expect(before).toBeLessThan(30);

    const second = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    second.stderr.on("data", (c: Buffer) => (stderr += c));
    try {
      await expect.poll(() => readManifest(runDir(ws, runId)).status, { timeout: 60_000, interval: 300 }).toBe("complete");
    } finally {
      // a failed wait leaves no watcher behind
      second.kill("SIGTERM");
    }
    expect(stderr).toContain("evalbench: note: resuming 1 checkpoint(s) the watcher was evaluating when it stopped");
    const records = lines(runId).map((l) => JSON.parse(l) as { instance_id: string });
    expect(records).toHaveLength(30);
    expect(new Set(records.map((r) => r.instance_id)).size).toBe(30);
    expect(runs()).toEqual([runId]);
  }, 120_000);
});

describe("evalbench watch --executor local on a bucket workspace (a real s3rver process)", () => {
  let s3: S3Server;
  beforeAll(async () => {
    s3 = await startS3Server(["lab-evals"]);
    // a lease far longer than the test: a writer killed on this machine is taken over without waiting for it
    Object.assign(process.env, { XDG_CACHE_HOME: tempWorkspace(), EVALBENCH_S3_LEASE_SECONDS: "600" });
  }, 60_000);
  afterAll(() => {
    s3?.close();
    for (const name of ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "XDG_CACHE_HOME", "EVALBENCH_S3_LEASE_SECONDS"]) delete process.env[name];
  });

  it("killed with its run mid-way, a watcher restarted at once resumes it from the bucket (its writer's process is gone), each question recorded once", async () => {
    const WORKSPACE = "s3://lab-evals/watch";
    const objects = new S3Objects({ bucket: "lab-evals", prefix: "watch" });
    const ws = tempWorkspace();
    const { args } = slowWatch(ws, WORKSPACE);
    const runs = async () => (await listRuns(WORKSPACE)).filter((e) => e.run_id.startsWith("gsm8k-"));
    const status = async () => {
      const [entry] = await runs();
      return entry?.ok ? entry.status : null;
    };
    /** The journal lines uploaded to the bucket, every writer's batches. */
    const uploaded = async (runId: string) => {
      const lines: string[] = [];
      for (const batch of await objects.list(`runs/${runId}/records.ndjson.d/`)) lines.push(...(await objects.read(batch.key))!.toString().split("\n").filter(Boolean));
      return lines;
    };

    // its own process group, killed whole: the watcher and the run it started
    const first = spawn(process.execPath, args, { detached: true, stdio: "ignore" });
    await expect.poll(async () => (await runs()).length > 0 && (await uploaded((await runs())[0].run_id)).length >= 3, { timeout: 60_000, interval: 300 }).toBe(true);
    process.kill(-(first.pid as number), "SIGKILL");
    const [{ run_id: runId }] = await runs();
    expect((await uploaded(runId)).length).toBeLessThan(30);

    const second = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    second.stderr.on("data", (c: Buffer) => (stderr += c));
    try {
      await expect.poll(status, { timeout: 60_000, interval: 300 }).toBe("complete");
    } finally {
      // a failed wait leaves no watcher behind
      second.kill("SIGTERM");
    }
    expect(stderr).toContain("evalbench: note: resuming 1 checkpoint(s) the watcher was evaluating when it stopped");
    const lines = (await uploaded(runId)).map((l) => JSON.parse(l) as { instance_id: string });
    expect(lines).toHaveLength(30);
    expect(new Set(lines.map((r) => r.instance_id)).size).toBe(30);
    expect((await runs()).map((e) => e.run_id)).toEqual([runId]);
  }, 120_000);
});
