import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listRuns } from "@/lib/catalog/list";
import { launcherSettings } from "@/lib/launch/launcher";
import { startS3Server, type S3Server } from "@/lib/s3/testing/s3-server";
import { LaunchValidationError, type FieldErrors } from "@/lib/launch/request";
import { readManifest } from "@/lib/workspace/manifest-file";
import { runDir } from "@/lib/workspace/paths";
import { localWorkspace } from "@/lib/workspace/s3/local";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { watchArgs, watchFromForm, type WatchRequest } from "./watch-request";
import { Watchers } from "./watchers";

const bin = path.resolve("bin", "evalbench.mjs");
const QUESTIONS = 4;

/** A workspace with task data, a checkpoint folder to watch, and a harness file whose preset serves `evalbench sim` per checkpoint. */
function setup() {
  const ws = tempWorkspace();
  const data = path.join(ws, "data", "gsm8k");
  fs.mkdirSync(data, { recursive: true });
  fs.writeFileSync(path.join(data, "test.jsonl"), Array.from({ length: QUESTIONS }, (_, i) => JSON.stringify({ question: `What is ${i} + ${i}?`, answer: `#### ${2 * i}` })).join("\n"));
  const ckpts = path.join(ws, "ckpts");
  fs.mkdirSync(ckpts);
  const harnessFile = path.join(ws, "harness.json");
  const sim = `${process.execPath} ${bin} sim --port {port} --checkpoint "$(cat {checkpoint}/name)=0.6" -t gsm8k --data ${data} -o fewshot.n=0`;
  fs.writeFileSync(harnessFile, JSON.stringify({ sim: { serve: { command: sim, timeout_s: 60 } }, plain: {} }));
  const env = { ...process.env, EVALBENCH_DATA: path.join(ws, "data"), EVALBENCH_HARNESS_FILE: harnessFile };
  const request: WatchRequest = { folder: ckpts, pattern: "step{step}", ready_file: "done", launch: { tasks: ["gsm8k"], model_name: "olmo", harness: "sim", overrides: ["fewshot.n=0"], data: "local" }, executor: "local", slurm: null };
  return { ws, ckpts, env, request, settings: launcherSettings(ws, env) };
}

/** What the trainer does: a checkpoint folder naming the model sim serves, then its ready file. */
function checkpoint(ckpts: string, step: number): void {
  fs.mkdirSync(path.join(ckpts, `step${step}`));
  fs.writeFileSync(path.join(ckpts, `step${step}`, "name"), `olmo-step${step}`);
  fs.writeFileSync(path.join(ckpts, `step${step}`, "done"), "");
}

function refused(fn: () => unknown): FieldErrors {
  try {
    fn();
  } catch (error) {
    if (error instanceof LaunchValidationError) return error.fields;
    throw error;
  }
  throw new Error("accepted");
}

describe("watch a folder from the launch page", () => {
  it("checks the request in the form's words: the folder, the pattern, the ready file, a preset that serves, and only the form's fields", () => {
    const { ckpts, request, settings } = setup();
    fs.mkdirSync(path.join(ckpts, "final"));
    expect(refused(() => watchArgs({ ...request, folder: path.join(ckpts, "nope") }, settings)).folder).toBe(`${path.join(ckpts, "nope")} does not exist on this server: create it, or name the folder the trainer writes its checkpoints into`);
    expect(refused(() => watchArgs({ ...request, folder: "ckpts" }, settings)).folder).toBe("ckpts is not an absolute path: give the folder's full path on this server, e.g. /ckpts/olmo-1b");
    fs.writeFileSync(path.join(ckpts, "file"), "");
    expect(refused(() => watchArgs({ ...request, folder: path.join(ckpts, "file") }, settings)).folder).toMatch(/is a file, not a folder/);
    expect(refused(() => watchArgs(request, settings)).pattern).toBe(`the pattern step{step} matches none of the 1 folder(s) in ${ckpts} (final); use a pattern such as 'step*' or 'step{step}'`);
    fs.rmdirSync(path.join(ckpts, "final"));
    expect(refused(() => watchArgs({ ...request, ready_file: "../x" }, settings)).ready_file).toMatch(/^\.\.\/x is not a file name/);
    expect(refused(() => watchArgs({ ...request, launch: { ...request.launch, harness: "plain" } }, settings)).harness).toMatch(/^harness plain starts no model server: pick a preset with serve/);
    expect(refused(() => watchArgs({ ...request, launch: { ...request.launch, tasks: ["gsm8"] } }, settings)).tasks).toMatch(/unknown task or suite gsm8/);
    const form = new FormData();
    form.set("folder", ckpts);
    form.set("serve", "sh -c id {port}");
    expect(watchFromForm(form).errors.form).toBe("the watch form has no field serve: the model server comes only from a harness preset of the server, picked by name");

    const { args, serve } = watchArgs(request, settings);
    expect(args.slice(0, 5)).toEqual(["watch", ckpts, "--pattern=step{step}", "--ready-file=done", "--executor=local"]);
    // the watcher finds the server in the preset, as `evalbench watch -H sim` does from the shell
    expect(args).toEqual(expect.arrayContaining(["--harness=sim", `--harness-file=${settings.harnessFile}`]));
    expect(serve).toMatch(/sim --port \{port\}/);
    expect(args.some((a) => a.startsWith("--serve") || a.startsWith("--checkpoint") || a.startsWith("--model="))).toBe(false);
  });

  it("evaluates each checkpoint once; a watcher whose app died starts again with the next app and does not evaluate a checkpoint twice; stopped, it stays stopped", async () => {
    const { ws, ckpts, env, request, settings } = setup();
    checkpoint(ckpts, 100);
    // the first app: a process of its own, killed outright
    // one process (node with tsx's loader, not the tsx command, which would run it in a child of its own)
    const app = spawn(process.execPath, ["--import", "tsx", path.resolve("lib/cluster/testing/watch-app.ts"), ws, JSON.stringify(request)], { env, stdio: ["ignore", "pipe", "inherit"] });
    const id = await new Promise<string>((resolve) => app.stdout.once("data", (c: Buffer) => resolve(c.toString().trim())));
    const runs = () => (fs.existsSync(path.join(ws, "runs")) ? fs.readdirSync(path.join(ws, "runs")) : []);
    const complete = () => runs().filter((r) => readManifest(runDir(ws, r)).status === "complete").length;
    await expect.poll(complete, { timeout: 60_000 }).toBe(1);
    app.kill("SIGKILL");
    // its watcher sees the app's channel close and stops: the lock on the folder's state goes with it
    const lock = fs.readdirSync(path.join(ws, "cluster", "watch")).find((n) => n.endsWith(".lock")) as string;
    await expect.poll(() => fs.existsSync(path.join(ws, "cluster", "watch", lock)), { timeout: 15_000 }).toBe(false);

    const record = JSON.parse(fs.readFileSync(path.join(ws, "watchers", `${id}.json`), "utf8")) as { state: string };
    expect(record.state, "the app died without stopping it").toBe("watching");
    // the next app starts it again; a new checkpoint is evaluated, the first is not again
    const next = new Watchers(settings);
    checkpoint(ckpts, 200);
    await expect.poll(complete, { timeout: 60_000 }).toBe(2);
    await expect.poll(() => next.list()[0].counts, { timeout: 10_000 }).toEqual({ seen: 2, evaluating: 0, evaluated: 2, failed: 0 });
    expect(runs().map((r) => readManifest(runDir(ws, r)).model.checkpoint).sort()).toEqual(["step100", "step200"]);
    for (const r of runs()) expect(readManifest(runDir(ws, r)).counts).toMatchObject({ planned: QUESTIONS, done: QUESTIONS });
    const log = fs.readFileSync(path.join(ws, "watchers", `${id}.log`), "utf8");
    expect(log.match(/new checkpoint .*step100/g)).toHaveLength(1);

    next.stop(id);
    await expect.poll(() => next.list()[0].state, { timeout: 15_000 }).toBe("stopped");
    expect(() => next.stop(id)).toThrow(`the watcher of ${ckpts} is stopped; only a watching one can be stopped`);
    expect(new Watchers(settings).list()[0].state, "a stopped watcher is not started again").toBe("stopped");
    checkpoint(ckpts, 300);
    await new Promise((r) => setTimeout(r, 3000));
    expect(runs()).toHaveLength(2);
  }, 180_000);

  it("refuses a second watcher of one folder and pattern, and more watchers than EVALBENCH_MAX_WATCHERS", async () => {
    const { ws, env, request } = setup();
    const other = path.join(ws, "other");
    fs.mkdirSync(other);
    const watchers = new Watchers(launcherSettings(ws, { ...env, EVALBENCH_MAX_WATCHERS: "2" }));
    const first = watchers.start(request);
    const second = watchers.start({ ...request, folder: other });
    try {
      expect(refused(() => watchers.start({ ...request, folder: path.join(ws, "data") })).form).toBe("this server runs at most 2 watchers at once (EVALBENCH_MAX_WATCHERS); stop one first");
      watchers.stop(second.id);
      expect(refused(() => watchers.start(request)).folder).toMatch(new RegExp(`^a watcher already watches ${request.folder} for step\\{step\\} \\(started .*\\); stop it first$`));
    } finally {
      watchers.stop(first.id);
    }
    await expect.poll(() => watchers.list().map((w) => w.state), { timeout: 15_000 }).toEqual(["stopped", "stopped"]);
  });
});

describe("watch a folder from the launch page of an app on a bucket (a real s3rver process)", () => {
  const WORKSPACE = "s3://lab-evals/watched";
  let s3: S3Server;
  beforeAll(async () => {
    s3 = await startS3Server(["lab-evals"]);
    process.env.XDG_CACHE_HOME = tempWorkspace();
  }, 60_000);
  afterAll(() => {
    s3?.close();
    for (const name of ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "XDG_CACHE_HOME"]) delete process.env[name];
  });

  it("its watcher evaluates each checkpoint once into the bucket, keeping its record, log and state in the bucket's local mirror; stopped and started again, it evaluates only the new one", async () => {
    // the app's environment holds the bucket's (AWS_ENDPOINT_URL, credentials): its watchers get it
    const { ckpts, env, request } = setup();
    const settings = launcherSettings(WORKSPACE, env);
    const complete = async () => (await listRuns(WORKSPACE)).filter((e) => e.ok && e.status === "complete").map((e) => e.manifest!.model.checkpoint).sort();
    checkpoint(ckpts, 100);
    const watchers = new Watchers(settings);
    const { id } = watchers.start(request);
    await expect.poll(complete, { timeout: 60_000 }).toEqual(["step100"]);
    await expect.poll(() => watchers.list()[0].counts, { timeout: 10_000 }).toEqual({ seen: 1, evaluating: 0, evaluated: 1, failed: 0 });
    const mirror = localWorkspace(WORKSPACE);
    expect(fs.existsSync(path.join(mirror, "watchers", `${id}.json`))).toBe(true);
    expect(fs.readdirSync(path.join(mirror, "cluster", "watch")).filter((n) => n.endsWith(".json"))).toHaveLength(1);
    watchers.stop(id);
    await expect.poll(() => watchers.list()[0].state, { timeout: 15_000 }).toBe("stopped");

    checkpoint(ckpts, 200);
    const again = watchers.start(request);
    await expect.poll(complete, { timeout: 60_000 }).toEqual(["step100", "step200"]);
    await expect.poll(() => watchers.list()[0].counts, { timeout: 10_000 }).toEqual({ seen: 2, evaluating: 0, evaluated: 2, failed: 0 });
    watchers.stop(again.id);
    await expect.poll(() => watchers.list()[0].state, { timeout: 15_000 }).toBe("stopped");
    expect(fs.readFileSync(path.join(mirror, "watchers", `${again.id}.log`), "utf8")).not.toContain("step100");
  }, 180_000);
});
