import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { bwrapOrSkip } from "@/lib/sandbox/testing";
import type { TranscriptEntry } from "@/lib/schema/transcript";
import { resolveHarness } from "../harness";
import { readRunRecords } from "../run-records";
import { runAgainstSim, SHARED_DATA } from "../testing/sim-run";
import { defineTool, toolSpec } from "../tools/define-tool";
import { getTool } from "../tools/registry";
import "../tools/builtin";

const humaneval = path.join(SHARED_DATA, "humaneval");
const gsm8k = path.join(SHARED_DATA, "gsm8k");
const { skip } = await bwrapOrSkip();
const entries = (transcript: unknown[] | null) => (transcript ?? []) as TranscriptEntry[];

describe("tools", () => {
  it("the JSON schema sent to the model is derived from the zod parameters", () => {
    const tool = defineTool({ name: "lookup", description: "look a word up", parameters: z.object({ word: z.string().describe("the word"), limit: z.number().int().optional() }), run: async () => ({ output: "", error: null }) });
    expect(toolSpec(tool)).toEqual({
      type: "function",
      function: { name: "lookup", description: "look a word up", parameters: { type: "object", properties: { word: { type: "string", description: "the word" }, limit: { type: "integer", minimum: expect.any(Number), maximum: expect.any(Number) } }, required: ["word"], additionalProperties: false } },
    });
    expect(() => defineTool({ name: "bad name", description: "", parameters: z.object({}), run: async () => ({ output: "", error: null }) })).toThrow(/1-64 letters/);
  });

  it("built-in tools are registered once and shared; an unknown tool names the known ones", () => {
    expect(getTool("run_python").needs).toMatchObject({ python: true, network: "none", untrusted: true });
    expect(() => getTool("run_pyton")).toThrow(/unknown tool run_pyton.*run_python/);
    expect(() => resolveHarness("default", null, ["scaffold=agent"])).toThrow(/agent scaffold needs at least one tool/);
  });
});

describe.skipIf(skip !== null)("the agent scaffold through the real runner, against the simulator", () => {
  it("runs the model's tool calls in the sandbox, feeds the results back, records the whole conversation", async () => {
    const { outcomes, sim, config } = await runAgainstSim({ tasks: ["humaneval"], data: { "*": humaneval }, limit: 6, harness: "agent" }, { checkpoints: [{ name: "coder", accuracy: 1 }] });
    await sim.close();
    const { manifest, runId } = outcomes[0];
    expect(manifest.harness.config).toMatchObject({ scaffold: "agent", tools: ["run_python"] });
    expect(manifest.metrics["pass@1"].value).toBe(1);
    const record = readRunRecords(config.workspace, runId).find((r) => r.instance_id === "HumanEval/0")!;
    const t = entries(record.transcript);
    expect(t.map((e) => (e.kind === "message" ? `${e.kind}:${e.role}` : e.kind))).toEqual(["message:user", "message:assistant", "tool", "message:assistant", "stop", "tests"]);
    const call = t[1] as Extract<TranscriptEntry, { kind: "message" }>;
    expect(call.tool_calls?.[0].name).toBe("run_python");
    expect(JSON.parse(call.tool_calls![0].arguments).code).toContain("def has_close_elements");
    expect(t[2]).toMatchObject({ kind: "tool", name: "run_python", error: null, output: expect.stringMatching(/^exit code: 0/) });
    expect(t[4]).toMatchObject({ kind: "stop", reason: "answer" });
    expect(record.input_tokens).toBeGreaterThan(0);
  });

  it("bad calls are errors the model reads, budgets stop endless loops, a sandbox failure is fed back and the run goes on", async () => {
    const { outcomes, sim, config } = await runAgainstSim(
      { tasks: ["gsm8k"], data: { "*": gsm8k }, limit: 4, harness: "agent", overrides: ["harness.tools=[\"run_python\",\"run_shell\",\"write_file\",\"read_file\"]", "harness.agent.max_turns=4", "harness.sandbox.timeout_ms=1500"] },
      {
        checkpoints: [{ name: "agent", accuracy: 1 }],
        script: ({ question, turn }) => {
          const n = Number(question?.id.split("/")[1]);
          if (n === 0) return [{ tool_calls: [{ name: "no_such_tool", arguments: {} }, { name: "run_python", arguments: "{not json" }, { name: "run_python", arguments: { script: "x" } }] }, null][Math.min(turn, 1)];
          if (n === 1) return { tool_calls: [{ name: "run_shell", arguments: { command: "echo again" } }] };
          if (n === 2 && turn === 0) return { tool_calls: [{ name: "write_file", arguments: { path: "sub/a.txt", content: "hello" } }, { name: "read_file", arguments: { path: "sub/a.txt" } }, { name: "read_file", arguments: { path: "/etc/shadow" } }] };
          if (n === 3 && turn === 0) return { tool_calls: [{ name: "run_python", arguments: { code: "while True: pass" } }] };
          return null;
        },
      },
    );
    await sim.close();
    expect(outcomes[0].manifest.counts).toMatchObject({ done: 4, errored: 0 });
    const byId = new Map(readRunRecords(config.workspace, outcomes[0].runId).map((r) => [r.instance_id, entries(r.transcript)]));
    const tools = (id: string) => byId.get(id)!.filter((e): e is Extract<TranscriptEntry, { kind: "tool" }> => e.kind === "tool");
    expect(tools("0").map((e) => e.error)).toEqual([expect.stringMatching(/unknown tool no_such_tool; the tools are: run_python, run_shell/), expect.stringMatching(/not valid JSON/), expect.stringMatching(/invalid arguments: code:/)]);
    expect(byId.get("1")!.at(-1)).toMatchObject({ kind: "stop", reason: "max_turns" });
    expect(tools("1")).toHaveLength(4);
    expect(tools("2").map((e) => [e.output, e.error])).toEqual([["wrote 5 bytes to sub/a.txt", null], ["hello", null], [expect.stringMatching(/No such file/), "exit code 1"]]);
    expect(tools("3")[0].error).toMatch(/killed at the time limit \(1500 ms\)/);
    expect(byId.get("3")!.at(-1)).toMatchObject({ kind: "stop", reason: "answer" });
  });
});
