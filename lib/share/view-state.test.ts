import { describe, expect, it } from "vitest";
import { CompareView, decodeView, encodeView } from "./view-state";

describe("comparison links", () => {
  it("round-trips every field of the view", () => {
    const view = CompareView.parse({
      a: "demo-mmlu-step40000",
      b: "demo-mmlu-step10000",
      pinA: "0123456789ab",
      pinB: "ba9876543210",
      metric: "f1",
      task: "mmlu",
      subtask: "anatomy",
      search: "bridge & \"flood\" ?=/#",
      cell: "only_a",
      pairing: "shared",
      sort: "score_b",
      desc: false,
      selected: "mmlu/mmlu-anatomy-7/0",
      seed: 99,
      B: 5000,
      alpha: 0.01,
    });
    expect(decodeView(encodeView(view))).toEqual(view);
  });

  it("keeps a default view short: the version and the two runs", () => {
    expect(encodeView({ a: "x", b: "y" })).toBe("v=1&a=x&b=y");
    expect(decodeView("v=1&a=x&b=y")).toEqual(CompareView.parse({ a: "x", b: "y" }));
  });

  it("refuses a link of another encoding version, naming both versions", () => {
    expect(() => decodeView("v=2&a=x&b=y")).toThrow(/encoding version 2; this evalbench reads version 1/);
  });

  it("names a bad parameter", () => {
    expect(() => decodeView("v=1&a=x&b=y&c=sideways")).toThrow(/link's c parameter is not valid/);
    expect(() => decodeView("v=1&a=x&b=y&B=-3")).toThrow(/link's B parameter is not valid/);
    expect(() => decodeView("v=1&a=x")).toThrow(/needs two runs/);
  });

  it("refuses more bootstrap resamples than the limit, naming it", () => {
    expect(() => decodeView("v=1&a=x&b=y&B=1000000000")).toThrow(/link's B parameter is not valid: at most 100000 bootstrap resamples .*evalbench compare --bootstrap/);
    expect(decodeView("v=1&a=x&b=y&B=100000").B).toBe(100_000);
  });
});
