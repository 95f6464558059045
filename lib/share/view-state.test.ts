import { describe, expect, it } from "vitest";
import { CompareView, decodeView, encodeView, swapSides } from "./view-state";

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

  it("keeps a default view short: the version and the two runs, named for their sides", () => {
    expect(encodeView({ a: "x", b: "y" })).toBe("v=2&candidate=x&baseline=y");
    expect(decodeView("v=2&candidate=x&baseline=y")).toEqual(CompareView.parse({ a: "x", b: "y" }));
  });

  it("names the sides in values too", () => {
    expect(encodeView({ a: "x", b: "y", cell: "only_a", pairing: "only_b", sort: "score_a" })).toBe("v=2&candidate=x&baseline=y&c=only_candidate&p=only_baseline&s=score_candidate");
  });

  it("opens version 1 links (a, b, ah, bh, B; only_a, score_b), with or without v", () => {
    const expected = CompareView.parse({ a: "x", b: "y", pinA: "p1", pinB: "p2", cell: "only_a", pairing: "only_b", sort: "score_b", B: 500 });
    expect(decodeView("v=1&a=x&b=y&ah=p1&bh=p2&c=only_a&p=only_b&s=score_b&B=500")).toEqual(expected);
    expect(decodeView("a=x&b=y&ah=p1&bh=p2&c=only_a&p=only_b&s=score_b&B=500")).toEqual(expected);
  });

  it("refuses a link of another encoding version, naming both versions", () => {
    expect(() => decodeView("v=3&candidate=x&baseline=y")).toThrow(/encoding version 3; this evalbench reads versions 1 to 2/);
  });

  it("names a bad parameter by the name the link uses", () => {
    expect(() => decodeView("v=1&a=x&b=y&c=sideways")).toThrow(/link's c parameter is not valid/);
    expect(() => decodeView("v=1&a=x&b=y&B=-3")).toThrow(/link's B parameter is not valid/);
    expect(() => decodeView("v=2&candidate=x&baseline=y&resamples=-3")).toThrow(/link's resamples parameter is not valid/);
    expect(() => decodeView("v=1&a=x")).toThrow(/needs two runs: \?a=<run id>&b=<run id>/);
    expect(() => decodeView("v=2&candidate=x")).toThrow(/needs two runs: \?candidate=<run id>&baseline=<run id>/);
  });

  it("refuses more bootstrap resamples than the limit, naming it", () => {
    expect(() => decodeView("v=2&candidate=x&baseline=y&resamples=1000000000")).toThrow(/link's resamples parameter is not valid: at most 100000 bootstrap resamples .*evalbench compare --bootstrap/);
    expect(decodeView("v=2&candidate=x&baseline=y&resamples=100000").B).toBe(100_000);
  });

  it("swaps the sides with everything that names a side", () => {
    const view = CompareView.parse({ a: "new", b: "old", pinA: "p-new", pinB: "p-old", cell: "only_a", pairing: "only_b", sort: "score_a", task: "t" });
    expect(swapSides(view)).toEqual({ ...view, a: "old", b: "new", pinA: "p-old", pinB: "p-new", cell: "only_b", pairing: "only_a", sort: "score_b" });
    expect(swapSides(swapSides(view))).toEqual(view);
    const plain = CompareView.parse({ a: "new", b: "old", cell: "both_right", sort: "difference" });
    expect(swapSides(plain)).toMatchObject({ cell: "both_right", pairing: "all", sort: "difference" });
  });
});
