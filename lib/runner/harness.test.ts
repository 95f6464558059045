import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { HARNESS_PRESETS, harnessPresets, readHarnessFile, resolveHarness } from "./harness";

function harnessFile(presets: unknown): string {
  const file = path.join(tempWorkspace(), "harness.json");
  fs.writeFileSync(file, JSON.stringify(presets));
  return file;
}

describe("serve in harness presets", () => {
  it("a preset's serve is read beside its config, the command alone or with its timeout; it never enters the config the manifest stores", () => {
    const file = harnessFile({ vllm: { concurrency: 8, serve: { command: "vllm serve {checkpoint} --port {port}", timeout_s: 1200 } }, llama: { serve: "llama-server -m {checkpoint}/model.gguf --port {port}" }, plain: { concurrency: 4 } });
    const presets = readHarnessFile(file);
    expect(presets.vllm.serve).toEqual({ command: "vllm serve {checkpoint} --port {port}", timeout_s: 1200 });
    expect(presets.llama.serve).toEqual({ command: "llama-server -m {checkpoint}/model.gguf --port {port}", timeout_s: 600 });
    expect(presets.plain.serve).toBeNull();
    const resolved = resolveHarness("vllm", file, ["max_retries=2"]);
    expect(resolved.serve?.command).toBe("vllm serve {checkpoint} --port {port}");
    expect(resolved.config).toEqual({ ...HARNESS_PRESETS.default, description: `from ${file}`, concurrency: 8, max_retries: 2 });
    expect(resolved.config).not.toHaveProperty("serve");
  });

  it("built-in presets start no server; a file's preset may replace a built-in by name", () => {
    expect(Object.values(harnessPresets(null)).every((p) => p.serve === null)).toBe(true);
    expect(resolveHarness("default", null).serve).toBeNull();
    const file = harnessFile({ default: { serve: "vllm serve {checkpoint} --port {port}" } });
    expect(resolveHarness("default", file).serve?.command).toBe("vllm serve {checkpoint} --port {port}");
  });

  it("refuses a serve template without {port}, an unknown placeholder, or a serve that is not a command, naming the file and the preset", () => {
    const noPort = harnessFile({ ok: {}, vllm: { serve: "vllm serve {checkpoint}" } });
    expect(() => readHarnessFile(noPort)).toThrow(`harness file ${noPort}: preset vllm: serve 'vllm serve {checkpoint}' has no {port}: evalbench picks a free port`);
    const unknown = harnessFile({ sg: { serve: "python -m sglang.launch_server --model-path {model} --port {port}" } });
    expect(() => resolveHarness("sg", unknown)).toThrow(`harness file ${unknown}: preset sg: serve 'python -m sglang.launch_server --model-path {model} --port {port}' has unknown placeholder(s) {model}`);
    const wrong = harnessFile({ v: { serve: { cmd: "vllm serve {checkpoint} --port {port}" } } });
    expect(() => readHarnessFile(wrong)).toThrow(new RegExp(`^harness file ${wrong}: preset v: serve: .*; write "serve": \\{"command": "vllm serve \\{checkpoint\\} --port \\{port\\}", "timeout_s": 600\\}$`));
    const zero = harnessFile({ v: { serve: { command: "x --port {port}", timeout_s: 0 } } });
    expect(() => readHarnessFile(zero)).toThrow(/preset v: serve: timeout_s: /);
  });

  it("serve cannot be set by an override: it is not a harness config key", () => {
    expect(() => resolveHarness("default", null, ["serve=sh -c 'id' {port}"])).toThrow(/unknown harness key "serve"/);
  });
});
