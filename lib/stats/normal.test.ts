import { describe, expect, it } from "vitest";
import { quantile as ssQuantile, quantileSorted as ssQuantileSorted } from "simple-statistics";
import { Z80, Z975, chiSquare1Tail, erfc, mdeFactor, normalCdf, normalQuantile, twoSidedNormalP } from "./normal";
import { quantile7, quantileSorted7 } from "./quantile";

describe("normal helpers (spec 1.4)", () => {
  it("hard-coded constants and the MDE factor at the defaults", () => {
    expect(Z975).toBe(1.959963984540054);
    expect(Z80).toBe(0.8416212335729143);
    expect(mdeFactor(0.05, 0.8)).toBe(2.8015852181129683);
  });
  it("Acklam's Phi^-1 is within 1.15e-9 relative in all three regions", () => {
    expect(Math.abs(normalQuantile(0.975) / Z975 - 1)).toBeLessThan(1.15e-9);
    expect(Math.abs(normalQuantile(0.8) / Z80 - 1)).toBeLessThan(1.15e-9);
    expect(Math.abs(normalQuantile(0.001) / -3.090232306167813 - 1)).toBeLessThan(1.15e-9);
    expect(Math.abs(normalQuantile(0.999) / 3.090232306167813 - 1)).toBeLessThan(1.15e-9);
    expect(normalQuantile(0.5)).toBe(0);
  });
  it("erfc matches reference values to 1.2e-7 relative, tails without cancellation", () => {
    expect(Math.abs(erfc(1) / 0.15729920705028513 - 1)).toBeLessThan(1.2e-7);
    expect(Math.abs(erfc(-1) / 1.8427007929497148 - 1)).toBeLessThan(1.2e-7);
    expect(Math.abs(erfc(6) / 2.1519736712498913e-17 - 1)).toBeLessThan(1.2e-7);
    expect(Math.abs(twoSidedNormalP(Z975) - 0.05)).toBeLessThan(1e-8);
    expect(Math.abs(chiSquare1Tail(Z975 * Z975) - 0.05)).toBeLessThan(1e-8);
    expect(Math.abs(normalCdf(0) - 0.5)).toBeLessThan(1e-7);
  });
});

describe("type-7 quantile (spec 1.5)", () => {
  it("quantile([0, 10], 0.025) === 0.25, also in simple-statistics", () => {
    expect(quantile7([0, 10], 0.025)).toBe(0.25);
    expect(ssQuantile([0, 10], 0.025)).toBe(0.25);
  });
  it("equals ss.quantileSorted and handles the ends", () => {
    const xs = [1, 2, 2.5, 7, 9, 11, 30];
    for (const p of [0, 0.025, 0.1, 0.5, 0.9, 0.975, 1]) expect(quantileSorted7(xs, p)).toBe(ssQuantileSorted(xs, p));
    expect(quantileSorted7([4], 0.3)).toBe(4);
  });
});
