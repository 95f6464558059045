import { describe, expect, it } from "vitest";
import { DrawWindows, STREAM_KEPT_MAX } from "./draw-stream";
import { mulberry32Uint32 } from "./rng";

/** Replicate b's window of `count` replicates of `size` draws of seed's stream, as an array. */
function drawWindows(seed: number, size: number, count: number): (b: number) => number[] {
  const windows = new DrawWindows(seed, size, count);
  return (b) => {
    windows.at(b);
    return Array.from(windows.draws.subarray(windows.start, windows.start + size));
  };
}

/** Draws [start, start + count) of the spec 7.1 generator, one next() at a time. */
function specDraws(seed: number, start: number, count: number): number[] {
  const next = mulberry32Uint32(seed);
  for (let k = 0; k < start; k++) next();
  return Array.from({ length: count }, () => next());
}

describe("mulberry32 draw windows (spec 7.1, 7.3)", () => {
  it("window b holds draws [b * size, (b + 1) * size) of the seed's stream, kept or grown", () => {
    expect(drawWindows(7, 5, 4)(0)).toEqual(specDraws(7, 0, 5));
    expect(drawWindows(7, 5, 4)(3)).toEqual(specDraws(7, 15, 5));
    // a longer request for the same seed extends the kept stream past what was generated
    const grown = drawWindows(7, 1000, 50);
    expect(grown(49)).toEqual(specDraws(7, 49_000, 1000));
    expect(grown(0)).toEqual(specDraws(7, 0, 1000));
    // another seed replaces it, and seeds are taken as uint32
    expect(drawWindows(-1, 3, 2)(1)).toEqual(specDraws(4294967295, 3, 3));
    expect(drawWindows(7, 5, 4)(2)).toEqual(specDraws(7, 10, 5));
  });
  it("windows past the kept maximum are generated on demand, the same draws", () => {
    const size = 4096;
    const count = STREAM_KEPT_MAX / size + 1;
    const window = drawWindows(2024, size, count);
    expect(window(1)).toEqual(specDraws(2024, size, size));
    expect(window(count - 1)).toEqual(specDraws(2024, (count - 1) * size, size));
  });
});
