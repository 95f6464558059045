import { describe, expect, it } from "vitest";
import { candidateFirst, compareUrl, decodeRunsTableState, encodeRunsTableState, filterProblem, matchesFilter } from "./runs";

describe("matchesFilter", () => {
  it("compares numbers with >, <, >=, <=, =", () => {
    expect(matchesFilter(0.8, ">0.5")).toBe(true);
    expect(matchesFilter(0.5, ">0.5")).toBe(false);
    expect(matchesFilter(0.5, ">= 0.5")).toBe(true);
    expect(matchesFilter(100, "<=100")).toBe(true);
    expect(matchesFilter(100, "=100")).toBe(true);
    expect(matchesFilter(-2, "<-1")).toBe(true);
    expect(matchesFilter(null, ">0")).toBe(false);
    expect(matchesFilter("7", ">5")).toBe(false);
  });

  it("matches other text as a case-insensitive substring; empty matches all", () => {
    expect(matchesFilter("gsm8k-Step200", "step200")).toBe(true);
    expect(matchesFilter("mmlu", "gsm")).toBe(false);
    expect(matchesFilter(null, "x")).toBe(false);
    expect(matchesFilter(null, "  ")).toBe(true);
  });
});

describe("compareUrl", () => {
  it("puts the candidate and the baseline in the query string, encoded", () => {
    expect(compareUrl("run-a", "run.b_1")).toBe("/compare?v=2&candidate=run-a&baseline=run.b_1");
    expect(compareUrl("new x", "old", "only_a")).toBe("/compare?v=2&candidate=new+x&baseline=old&c=only_candidate");
  });
});

describe("candidateFirst", () => {
  const run = (runId: string, step: number | null, created: string) =>
    ({ runId, task: "t", model: "m", checkpoint: null, step, n: 1, planned: 1, metric: "acc", value: null, se: null, metricN: null, status: "complete", created, previous: null, problem: null });
  it("makes the later checkpoint the candidate whichever was picked first", () => {
    const early = run("step-100", 100, "2026-01-02T00:00:00Z");
    const late = run("step-200", 200, "2026-01-01T00:00:00Z");
    expect(candidateFirst(early, late).map((r) => r.runId)).toEqual(["step-200", "step-100"]);
    expect(candidateFirst(late, early).map((r) => r.runId)).toEqual(["step-200", "step-100"]);
  });
  it("goes by creation time when the steps tie or are missing, and keeps the picking order on a full tie", () => {
    const older = run("older", null, "2026-01-01T00:00:00Z");
    const newer = run("newer", 100, "2026-01-03T00:00:00Z");
    expect(candidateFirst(older, newer).map((r) => r.runId)).toEqual(["newer", "older"]);
    expect(candidateFirst(run("x", 5, "2026-01-01T00:00:00Z"), run("y", 5, "2026-01-02T00:00:00Z")).map((r) => r.runId)).toEqual(["y", "x"]);
    const twin = run("twin", 5, "2026-01-01T00:00:00Z");
    expect(candidateFirst(twin, { ...twin, runId: "twin2" }).map((r) => r.runId)).toEqual(["twin", "twin2"]);
  });
});

describe("runs table state in the URL", () => {
  it("round-trips sorting and filters, and drops unknown columns", () => {
    const state = { sorting: [{ id: "step", desc: true }], columnFilters: [{ id: "task", value: "gsm8k" }, { id: "value", value: ">0.5" }] };
    const text = encodeRunsTableState(state);
    expect(text).toBe("sort=-step&filter.task=gsm8k&filter.value=%3E0.5");
    expect(decodeRunsTableState(new URLSearchParams(text), ["step", "task", "value"])).toEqual(state);
    expect(decodeRunsTableState(new URLSearchParams("sort=nope&filter.x=1"), ["step"])).toEqual({ sorting: [], columnFilters: [] });
  });
  it("says when an operator has no number after it", () => {
    expect(filterProblem(">=abc")).toMatch(/compares numbers/);
    expect(filterProblem(">= 10")).toBeNull();
    expect(filterProblem("gsm8k")).toBeNull();
  });
});
