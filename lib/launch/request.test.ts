import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { LaunchValidationError, runArgs, toRunConfig, type LaunchRequestInput, type LaunchSite } from "./request";

const site = { workspace: "/srv/ws", dataDir: path.resolve("..", "shared", "data") };
const base: LaunchRequestInput = { tasks: ["gsm8k"], endpoint: "http://127.0.0.1:8000/v1", model_name: "olmo-1b", checkpoint: "step-1000", step: 1000 };

/** The field errors of a request that must be refused. */
function refused(patch: Partial<Record<keyof LaunchRequestInput, unknown>>): Record<string, string> {
  try {
    toRunConfig({ ...base, ...patch }, site);
  } catch (error) {
    if (error instanceof LaunchValidationError) return error.fields;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(patch)}`);
}

describe("launch requests: the CLI's RunConfig, built from strictly checked fields", () => {
  it("a valid request becomes the RunConfig of the CLI, with the server's workspace and local data", () => {
    const config = toRunConfig({ ...base, overrides: ["fewshot.n=0", "harness.timeout_ms=5000"], limit: 20, concurrency: 4 }, site);
    expect(config).toMatchObject({ tasks: ["gsm8k"], workspace: "/srv/ws", limit: 20, concurrency: 4, harness: "default", resume: false, attempt: null });
    expect(config.model).toMatchObject({ endpoint: "http://127.0.0.1:8000/v1", name: "olmo-1b", checkpoint: "step-1000", step: 1000 });
    expect(config.data).toEqual({ gsm8k: path.join(site.dataDir, "gsm8k") });
  });

  it("task names: no flags, paths or shell through them, and unknown ones are named", () => {
    for (const task of ["--workspace=/etc", "-w", "../../etc/passwd", "gsm8k/../x", "gsm8k; rm -rf /", "$(whoami)", "gsm8k`id`", "gsm8k\n--resume", "GSM8K", ""]) {
      expect(refused({ tasks: [task] }).tasks, task).toBeTruthy();
    }
    expect(refused({ tasks: ["gsm8"] }).tasks).toMatch(/unknown task or suite gsm8 \(did you mean gsm8k/);
    expect(refused({ tasks: [] }).tasks).toMatch(/pick at least one task/);
  });

  it("checkpoint and model names: no flags, paths, whitespace or shell characters", () => {
    for (const name of ["--resume", "-x", "../step-1", "step/1", ".hidden", "step 1", "a;b", "$(id)", "a|b", "a\nb", "a'b", "x".repeat(200)]) {
      expect(refused({ checkpoint: name }).checkpoint, name).toMatch(/letters, digits/);
      expect(refused({ model_name: name }).model_name, name).toMatch(/letters, digits/);
    }
    for (const id of ["--served-model=x", "../../x", "a/../b", "a b", "$(id)"]) expect(refused({ served_model: id }).served_model, id).toBeTruthy();
    expect(toRunConfig({ ...base, served_model: "meta-llama/Llama-3.1-8B" }, site).model.served_model).toBe("meta-llama/Llama-3.1-8B");
  });

  it("overrides: key=value on one line, real keys, and nothing that reaches files, tools or other endpoints", () => {
    expect(refused({ overrides: ["--workspace=/tmp"] }).overrides).toMatch(/key=value/);
    expect(refused({ overrides: ["fewshot.n=1\n--resume"] }).overrides).toMatch(/key=value/);
    expect(refused({ overrides: ["data.hub=evil/dataset"] }).overrides).toMatch(/data\.\* cannot be set from the browser/);
    expect(refused({ overrides: ['harness.auxiliary={"x":{"endpoint":"http://evil/v1","model":"m","api_key_env":"AWS_SECRET"}}'] }).overrides).toMatch(/may override these harness fields only/);
    expect(refused({ overrides: ["harness.sandbox.executors=[]"] }).overrides).toMatch(/harness fields only/);
    expect(refused({ overrides: ["fewshot.m=5"] }).overrides).toMatch(/unknown task key "fewshot.m"/);
    expect(refused({ overrides: ["harness.concurrency=0"] }).overrides).toMatch(/concurrency/);
  });

  it("the endpoint is a plain http(s) URL: no credentials, query string or other scheme", () => {
    expect(refused({ endpoint: "http://user:sk-secret@host/v1" }).endpoint).toMatch(/must not carry a user, password or query string/);
    expect(refused({ endpoint: "http://host/v1?key=sk" }).endpoint).toMatch(/must not carry a user, password or query string/);
    expect(refused({ endpoint: "file:///etc/passwd" }).endpoint).toMatch(/not an endpoint/);
    expect(refused({ endpoint: "" }).endpoint).toMatch(/name the endpoint/);
  });

  it("task data: the server's folder where it has the task (auto), that folder only, or the hub", () => {
    expect(toRunConfig({ ...base, data: "hub" }, site).data).toEqual({});
    expect(toRunConfig({ ...base, data: "local" }, site).data).toEqual({ gsm8k: path.join(site.dataDir, "gsm8k") });
    expect(toRunConfig({ ...base, tasks: ["arc_easy"] }, site).data).toEqual({});
    expect(refused({ tasks: ["gsm8k", "arc_easy"], data: "local" }).data).toMatch(/^the data folder .* has no arc_easy \(it has .*gsm8k.*\); add it, or pick auto or the hub$/);
    try {
      toRunConfig({ ...base, data: "local" }, { ...site, dataDir: null });
      throw new Error("accepted");
    } catch (error) {
      expect((error as LaunchValidationError).fields.data).toMatch(/no local data folder \(start it with EVALBENCH_DATA=FOLDER\)/);
    }
    expect(refused({ data: "/etc" } as never).data).toMatch(/pick where task data comes from: auto, local, hub/);
  });

  it("speaks the form's words, not the CLI's flags", () => {
    expect(refused({ endpoint: "localhost:3299" }).endpoint).toBe("localhost:3299 is not an endpoint: give the server's base URL, e.g. http://localhost:3299/v1");
    expect(refused({ endpoint: "vllm:http://h/v1" }).endpoint).toBe("vllm:http://h/v1: unknown provider vllm; write the URL alone, e.g. http://127.0.0.1:8000/v1");
    expect(refused({ overrides: ["fewshot.n=x"] }).overrides).toMatch(/^invalid task config \(after fewshot\.n=x\): fewshot\.n/);
    const messages = Object.values({ ...refused({ endpoint: "http://u:p@h/v1" }), ...refused({ overrides: ["fewshot"] }), ...refused({ overrides: ["fewshot.n=x", "fewshot.m=1"] }) });
    for (const message of messages) expect(message, message).not.toMatch(/(^|\s|\()(-o|-m|--[a-z-]+)\b/);
  });

  it("reports every field's problem at once", () => {
    const fields = refused({ endpoint: "localhost:3299", checkpoint: "step 1", step: -1, overrides: ["fewshot.m=5"] });
    expect(Object.keys(fields).sort()).toEqual(["checkpoint", "endpoint", "overrides", "step"]);
    expect(Object.keys(refused({ tasks: [], endpoint: "", limit: 0 })).sort()).toEqual(["endpoint", "limit", "tasks"]);
  });

  it("numbers, harness presets, key names and unknown fields", () => {
    expect(refused({ limit: 0 }).limit).toBeTruthy();
    expect(refused({ step: -1 }).step).toBeTruthy();
    expect(refused({ concurrency: 1.5 }).concurrency).toBeTruthy();
    expect(refused({ harness: "../harness.json" }).harness).toMatch(/pick one of the harness presets: default/);
    expect(refused({ api_key: "$OPENAI_API_KEY" }).api_key).toMatch(/key name/);
    // the workspace, data and harness files are the server's: a request cannot name them
    expect(Object.values(refused({ workspace: "/etc" } as never)).join()).toMatch(/unrecognized key/i);
  });

  it("arguments: one --flag=value element per value, so no value can be read as a flag", () => {
    const args = runArgs(toRunConfig({ ...base, tasks: ["gsm8k", "core"], overrides: ["template=-x {question}"], limit: 5 }, site, { resume: true, attempt: 2, apiKeyEnv: "EVALBENCH_LAUNCH_API_KEY" }));
    expect(args[0]).toBe("run");
    for (const arg of args.slice(1)) expect(arg, arg).toMatch(/^--[a-z-]+(=|$)/);
    expect(args).toEqual(expect.arrayContaining(["--task=gsm8k", "--task=core", "--override=template=-x {question}", "--limit=5", "--resume", "--attempt=2", "--workspace=/srv/ws", "--api-key-env=EVALBENCH_LAUNCH_API_KEY", "--checkpoint=step-1000", "--step=1000"]));
  });
});

describe("runArgs of a served run (the Slurm executor's job lines)", () => {
  it("passes the serve command and the checkpoint the server loads, no endpoint, and the only task's data as a bare path", async () => {
    const { RunConfig } = await import("@/lib/runner/launch");
    const config = RunConfig.parse({ tasks: ["gsm8k"], model: { endpoint: "http://127.0.0.1:9/v1", checkpoint: "step100", step: 100 }, data: { "*": "/d/q.jsonl" }, workspace: "/ws", tags: ["a"], serve: { command: "vllm serve {checkpoint} --port {port}", checkpoint: "/ck/step100", timeout_s: 900 } });
    const args = runArgs(config);
    expect(args).toEqual(expect.arrayContaining(["--serve=vllm serve {checkpoint} --port {port}", "--serve-timeout=900", "--checkpoint=/ck/step100", "--step=100", "--data=/d/q.jsonl", "--tag=a", "--seed=1234"]));
    expect(args.some((a) => a.startsWith("--model="))).toBe(false);
  });
});

describe("launch requests with a harness preset that starts a model server", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evalbench-presets-"));
  const harnessFile = path.join(dir, "harness.json");
  fs.writeFileSync(harnessFile, JSON.stringify({ vllm: { concurrency: 16, serve: { command: "vllm serve {checkpoint} --port {port}", timeout_s: 900 } } }));
  const served = { ...site, harnessFile };
  const request: LaunchRequestInput = { tasks: ["gsm8k"], model_name: "olmo-1b", harness: "vllm", checkpoint: "/ckpts/olmo-1b/step1000", step: 1000 };

  it("the preset's serve starts the server: the checkpoint folder goes to it, its last part labels the runs, and the child finds the command in the server's file", () => {
    const config = toRunConfig(request, served);
    expect(config.serve).toEqual({ command: "vllm serve {checkpoint} --port {port}", checkpoint: "/ckpts/olmo-1b/step1000", timeout_s: 900, preset: true });
    expect(config.model).toMatchObject({ checkpoint: "step1000", step: 1000, name: "olmo-1b" });
    const args = runArgs(config);
    expect(args).toContain("--checkpoint=/ckpts/olmo-1b/step1000");
    // the child finds the command again in the preset of the server's file; no command goes on its command line
    expect(args).toEqual(expect.arrayContaining(["--harness=vllm", `--harness-file=${harnessFile}`]));
    expect(args.some((a) => a.startsWith("--model=") || a.startsWith("--serve"))).toBe(false);
  });

  it("an endpoint in the form wins over the preset's server, as -m does on the command line", () => {
    const config = toRunConfig({ ...request, endpoint: "http://127.0.0.1:8000/v1", checkpoint: "step-1000" }, served);
    expect(config.serve).toBeNull();
    expect(config.model.endpoint).toBe("http://127.0.0.1:8000/v1");
  });

  it("refuses what does not fit: no checkpoint for {checkpoint}, a folder without a serving preset, a preset the server does not have", () => {
    const fields = (input: unknown, where: LaunchSite = served) => {
      try {
        toRunConfig(input, where);
      } catch (error) {
        if (error instanceof LaunchValidationError) return error.fields;
        throw error;
      }
      throw new Error("accepted");
    };
    expect(fields({ ...request, checkpoint: null }).checkpoint).toBe("harness vllm starts its model server on {checkpoint}: name the folder (or hub id) it loads, e.g. /ckpts/step1000");
    expect(fields({ ...request, harness: "default", endpoint: "http://127.0.0.1:8000/v1" }).checkpoint).toMatch(/^use letters, digits, .* \(a folder or hub id only with a harness preset that starts a model server\)$/);
    expect(fields({ ...request, harness: "default" }).endpoint).toMatch(/^name the endpoint, e.g. http:\/\/127.0.0.1:8000\/v1 \(or pick a harness preset that starts its own model server\)$/);
    expect(fields(request, site).harness).toBe("pick one of the harness presets: default, assistant, agent, patient");
    expect(fields({ ...request, checkpoint: "/ckpts/../etc" }).checkpoint).toBe("must not contain ..");
  });

  it("no field carries a command: a serve (or any unknown) field is refused, and serve is no harness override", () => {
    expect(Object.values(refused({ serve: "sh -c 'id > /tmp/x' {port}" } as never)).join(" ")).toMatch(/Unrecognized key.*serve/);
    expect(refused({ overrides: ["harness.serve=sh -c id {port}"] }).overrides).toMatch(/may override these harness fields only/);
  });
});
