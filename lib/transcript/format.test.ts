import { describe, expect, it } from "vitest";
import { formatTranscript } from "./format";

const episode = [
  { kind: "message", role: "user", content: "Write f." },
  { kind: "message", role: "assistant", content: "Let me run it.", tool_calls: [{ id: "c1", name: "run_python", arguments: '{"code":"print(1)"}' }], finish_reason: "tool_calls", input_tokens: 10, output_tokens: 5, latency_ms: 12 },
  { kind: "tool", call_id: "c1", name: "run_python", arguments: '{"code":"print(1)"}', output: "exit code: 0\nstdout:\n1\n", error: null, duration_ms: 80 },
  { kind: "tool", call_id: "c2", name: "run_shell", arguments: "{bad", output: "", error: "the arguments are not valid JSON", duration_ms: 0 },
  { kind: "message", role: "assistant", content: "<script>alert(1)</script>", finish_reason: "stop", input_tokens: 30, output_tokens: 7, latency_ms: 9 },
  { kind: "stop", reason: "answer", detail: "answered after 2 turns" },
  { kind: "tests", passed: false, exit_code: null, failure: "timeout", reason: "killed at the time limit (10000 ms)", output: "", duration_ms: 10001 },
  { kind: "judge", judge: "grader", model: "m", verdict: "incorrect", score: 0, rationale: "wrong number" },
];

describe("formatTranscript", () => {
  it("turns, tool calls with pretty arguments, tool output and errors, stop reason, verdicts", () => {
    const view = formatTranscript(JSON.stringify(episode))!;
    expect(view.headline).toBe("2 turns, 2 tool calls (1 failed), tests failed: killed at the time limit, judge grader");
    expect(view.items.map((i) => i.kind)).toEqual(["message", "message", "tool_call", "tool_result", "tool_result", "message", "stop", "tests", "judge"]);
    expect(view.items[1].summary).toBe("assistant (12 ms, 10 in / 5 out tokens): Let me run it.");
    expect(view.items[2]).toMatchObject({ summary: "→ run_python (c1)", body: '{\n  "code": "print(1)"\n}' });
    expect(view.items[4]).toMatchObject({ summary: "← run_shell failed: the arguments are not valid JSON (0 ms)", tone: "error" });
    // Model output stays text: the viewer renders it escaped.
    expect(view.items[5].body).toBe("<script>alert(1)</script>");
    expect(view.items[8]).toMatchObject({ summary: "judge grader (m): incorrect, score 0", body: "wrong number", tone: "error" });
  });

  it("rank-classification choices, unknown entries as JSON, nothing for no transcript", () => {
    const rc = formatTranscript([{ continuation: " Paris", logprob: -1.5, tokens: 1, uncond: null, gold: true }, { weird: 1 }])!;
    expect(rc.items[0]).toMatchObject({ kind: "choice", summary: 'gold choice "Paris": log p -1.5000', tone: "ok" });
    expect(rc.items[1]).toMatchObject({ kind: "other", body: '{\n  "weird": 1\n}' });
    expect(formatTranscript(null)).toBeNull();
    expect(formatTranscript("[]")).toBeNull();
    expect(formatTranscript("{not json")?.headline).toBe("unreadable transcript");
  });
});
