import { describe, expect, it } from "vitest";
import { contentHash, instanceHash } from "./hash";
import { RunManifest } from "./manifest";
import { parseManifest } from "./parse";
import { SCHEMA_VERSION } from "./version";

const manifest = {
  schema_version: SCHEMA_VERSION,
  run_id: "gsm8k-olmo-step100",
  status: "complete",
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
  model: { name: "olmo-1b", endpoint: "http://127.0.0.1:8000/v1" },
  task: { name: "gsm8k", hash: "abc" },
  harness: { name: "default" },
  seed: 1,
  counts: { planned: 1, done: 1, errored: 0 },
  primary_metric: "exact_match",
  source: { kind: "run" },
};

describe("parseManifest", () => {
  it("accepts a valid manifest and fills defaults", () => {
    const parsed = parseManifest(manifest);
    expect(parsed.model.checkpoint).toBeNull();
    expect(parsed.tags).toEqual([]);
  });

  it("refuses a newer schema version, naming both versions", () => {
    expect(() => parseManifest({ ...manifest, schema_version: SCHEMA_VERSION + 1 }, "x/run.json")).toThrow(
      `x/run.json has schema_version ${SCHEMA_VERSION + 1}, newer than this evalbench reads (${SCHEMA_VERSION}); upgrade evalbench to read it`,
    );
  });

  it("refuses a missing or nonsensical version", () => {
    expect(() => parseManifest({ ...manifest, schema_version: undefined })).toThrow(/expected a whole number from 1/);
    expect(() => parseManifest({ ...manifest, schema_version: 0 })).toThrow(/expected a whole number from 1/);
  });

  it("names the field that is wrong", () => {
    expect(() => parseManifest({ ...manifest, run_id: "../escape" })).toThrow(/run_id: run_id must be 1-160 URL-safe/);
  });

  it("refuses an endpoint that carries a secret", () => {
    for (const endpoint of ["http://user:sk-secret@host/v1", "http://host/v1?api_key=sk-secret"]) {
      expect(RunManifest.safeParse({ ...manifest, model: { name: "m", endpoint } }).success).toBe(false);
    }
  });
});

describe("instanceHash", () => {
  it("ignores key order but not content", () => {
    expect(instanceHash({ q: "2+2?", choices: ["3", "4"] }, "4")).toBe(instanceHash({ choices: ["3", "4"], q: "2+2?" }, "4"));
    expect(instanceHash({ q: "2+2?" }, "4")).not.toBe(instanceHash({ q: "2+2?" }, "5"));
    expect(instanceHash({ q: "2+2?" }, "4")).not.toBe(instanceHash({ q: "2+3?" }, "4"));
    expect(contentHash({ a: 1, b: [1, 2] })).toMatch(/^[0-9a-f]{16}$/);
  });
});
