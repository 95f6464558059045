import { describe, expect, it } from "vitest";
import { decodeSeriesView, encodeSeriesView } from "./view";

describe("series view in the URL", () => {
  it("round-trips every setting, leaving defaults out of the link", () => {
    const view = { lines: ["base", "experiment=newmix"], task: "mmlu:mc", suite: null, metric: "f1", k: 3, margin: 0.05, traj: 1, filter: "flipping" as const, flipsAtLeast: 3, question: "mmlu/q7" };
    const text = encodeSeriesView(view);
    expect(decodeSeriesView(new URLSearchParams(text))).toEqual(view);
    expect(encodeSeriesView({ lines: ["base"], task: "gsm8k", k: 5, flipsAtLeast: 2, filter: "all" })).toBe("line=base&task=gsm8k");
  });
  it("names a parameter that does not parse, and treats a line named twice as one", () => {
    expect(() => decodeSeriesView(new URLSearchParams("k=1"))).toThrow("k=1 in the link is not a whole number of at least 2");
    expect(() => decodeSeriesView(new URLSearchParams("filter=best"))).toThrow(/filter=best in the link is not one of all, flipping, always_right/);
    expect(() => decodeSeriesView(new URLSearchParams("margin=-1"))).toThrow(/margin=-1/);
    expect(decodeSeriesView(new URLSearchParams("line=a&line=b&line=a")).lines).toEqual(["a", "b"]);
  });
});
