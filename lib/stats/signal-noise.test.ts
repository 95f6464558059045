import { describe, expect, it } from "vitest";
import { populationSd, relativeNoise, relativeSignal, signalToNoise } from "./signal-noise";

describe("signal and noise (Heineman et al. 2025)", () => {
  it("noise is the population SD of the last scores over their mean", () => {
    // scores 0.50, 0.52, 0.54: mean 0.52, deviations -0.02, 0, 0.02, variance 0.0008/3
    expect(populationSd([0.5, 0.52, 0.54])).toBeCloseTo(Math.sqrt(0.0008 / 3), 15);
    expect(relativeNoise([0.5, 0.52, 0.54])).toBeCloseTo(Math.sqrt(0.0008 / 3) / 0.52, 15); // 0.031404
  });
  it("signal is the largest gap between lines over their mean score", () => {
    // three lines at 0.40, 0.50, 0.45: gap 0.10, mean 0.45
    expect(relativeSignal([0.4, 0.5, 0.45])).toBeCloseTo(0.1 / 0.45, 15);
  });
  it("SNR is their ratio, undefined where either is", () => {
    expect(signalToNoise(0.2, 0.05)).toBeCloseTo(4, 15);
    expect(signalToNoise(null, 0.05)).toBeNull();
    expect(signalToNoise(0.2, 0)).toBeNull();
    expect(relativeNoise([0.5])).toBeNull();
    expect(relativeSignal([0.5])).toBeNull();
  });
});
