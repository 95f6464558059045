/**
 * lib/stats runs unchanged in a real browser Web Worker (headless /usr/bin/chromium) and gives the
 * same numbers as Node, bit for bit: paired comparison + bootstrap (reference and fast paths).
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareRuns, mulberry32, type RunScores } from "./index";
import { CHROMIUM_PATH, openStatsWorker, type WorkerSession } from "./testing/browser-harness";

function makeRuns(n: number, binary: boolean, seed: number): { a: RunScores; b: RunScores } {
  const r = mulberry32(seed);
  const a = [];
  const b = [];
  for (let i = 0; i < n; i++) {
    const id = `q${String(i).padStart(5, "0")}`;
    const cluster = `c${i % 17}`;
    a.push({ questionId: id, score: binary ? (r() < 0.72 ? 1 : 0) : Math.round(r() * 1e4) / 1e4, clusterId: cluster });
    b.push({ questionId: id, score: binary ? (r() < 0.66 ? 1 : 0) : Math.round(r() * 1e4) / 1e4, clusterId: cluster });
  }
  // Scramble input order: canonical ordering must make it irrelevant in both engines.
  return { a: a.reverse(), b };
}

/** Deep equality with Object.is on every number (distinguishes -0, NaN, last-bit differences). */
function bitEqual(x: unknown, y: unknown, path = "$"): string[] {
  if (typeof x === "number" || typeof y === "number") return Object.is(x, y) ? [] : [`${path}: ${String(x)} !== ${String(y)}`];
  if (x === null || y === null || typeof x !== "object" || typeof y !== "object") return x === y ? [] : [`${path}: ${String(x)} !== ${String(y)}`];
  const kx = Object.keys(x as object);
  const ky = Object.keys(y as object);
  if (kx.length !== ky.length) return [`${path}: keys ${kx} vs ${ky}`];
  return kx.flatMap((k) => bitEqual((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${path}.${k}`));
}

const haveChromium = existsSync(CHROMIUM_PATH);

describe.skipIf(!haveChromium)("lib/stats in a headless Chromium Web Worker", () => {
  let session: WorkerSession;
  beforeAll(async () => {
    session = await openStatsWorker();
  }, 60_000);
  afterAll(async () => {
    await session?.close();
  });

  for (const [label, binary, n, path] of [
    ["binary scores, reference path", true, 600, "reference"],
    ["continuous scores, reference path", false, 400, "reference"],
    ["binary scores, fast path", true, 5000, "fast"],
    ["continuous scores, fast path", false, 3000, "fast"],
  ] as const) {
    it(`compareRuns equals Node bit for bit (${label})`, async () => {
      const { a, b } = makeRuns(n, binary, 11);
      const options = { B: 2000, signFlipB: 2000, seed: 77, path };
      const inNode = compareRuns(a, b, options);
      const inWorker = await session.call("compareRuns", [a, b, options]);
      expect(inNode.paired.bootstrap).not.toBeNull();
      expect(inNode.paired.clusterBootstrap).not.toBeNull();
      expect(bitEqual(inWorker, JSON.parse(JSON.stringify(inNode)))).toEqual([]);
      expect(bitEqual(inWorker, inNode)).toEqual([]);
    });
  }

  it("reports input errors naming the offending id inside the worker too", async () => {
    await expect(session.call("comparePaired", [[{ questionId: "x", score: 1 }, { questionId: "x", score: 0 }], [], {}])).rejects.toThrow(/"x"/);
  });
});
