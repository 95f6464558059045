import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Objects } from "@/lib/s3/objects";
import { startS3Server, type S3Server } from "@/lib/s3/testing/s3-server";
import { runAgainstSim, SHARED_DATA } from "@/lib/runner/testing/sim-run";
import { evalbench as evalbenchCli } from "../testing/cli";
import { tempWorkspace } from "../testing/fixtures";
import { localMirror } from "./local";

const BUCKET = "team-evals";
const WORKSPACE = `s3://${BUCKET}/shared`;
const SECRET = "not-the-S3RVER-secret-1234";
let s3: S3Server;
/** What the readers asked the S3 server for: method, path and Range header of every request. */
const seen: { method: string; path: string; range: string | null }[] = [];
let proxy: http.Server;
let proxyUrl: string;
let mirror: string;
let runIds: string[];

beforeAll(async () => {
  s3 = await startS3Server([BUCKET]);
  process.env.XDG_CACHE_HOME = tempWorkspace();
  const sim = { checkpoints: [{ name: "step1", accuracy: 0.4 }, { name: "step2", accuracy: 0.7 }] };
  runIds = [];
  for (const [step, served] of [[1, "step1"], [2, "step2"]] as const) {
    const { outcomes, sim: server } = await runAgainstSim({ tasks: ["gsm8k"], data: { "*": path.join(SHARED_DATA, "gsm8k") }, limit: 200, workspace: WORKSPACE, model: { served_model: served, name: "m", checkpoint: served, step } }, sim);
    await server.close();
    runIds.push(outcomes[0].runId);
  }
  // the writer's local mirror holds the very files it uploaded: a folder workspace to read the same runs from
  mirror = localMirror({ bucket: BUCKET, prefix: "shared" });
  proxy = http.createServer((request, response) => {
    seen.push({ method: request.method!, path: request.url!, range: request.headers.range ?? null });
    const upstream = http.request(`${s3.url}${request.url}`, { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(response);
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 120_000);

afterAll(() => {
  proxy?.close();
  s3?.close();
});

/** The CLI, its S3 requests through the recording proxy. */
const evalbench = (args: string[], env: Record<string, string> = {}) => evalbenchCli(args, { AWS_ENDPOINT_URL: proxyUrl, ...env });

describe("CLI verbs on an S3 workspace", () => {
  it("ls, compare, series and matrix print what they print for the same runs in a folder, reading only compare.parquet, by Range; publish copies runs out of the bucket", async () => {
    const [first, second] = runIds;
    for (const args of [
      ["compare", second, first, "--json"],
      ["series", "--model", "m", "--task", "gsm8k", "--json"],
      ["matrix", second, first, "--json"],
    ]) {
      seen.length = 0;
      const fromBucket = await evalbench([...args, "-w", WORKSPACE]);
      expect(fromBucket.stderr).toBe("");
      expect(JSON.parse(fromBucket.stdout)).toEqual(JSON.parse((await evalbench([...args, "-w", mirror])).stdout));
      // the runs' Parquet files: the catalog's index (index/catalog.parquet) is read whole
      const parquet = seen.filter((r) => r.method === "GET" && r.path.split("?")[0].endsWith(".parquet") && r.path.includes("/runs/"));
      expect(parquet.length, args[0]).toBeGreaterThan(0);
      expect(parquet.every((r) => r.path.split("?")[0].endsWith("/compare.parquet") && r.range !== null), JSON.stringify(parquet)).toBe(true);
    }
    // publish copies the runs out of the bucket, each checked against its sha256 in run.json
    const out = path.join(tempWorkspace(), "viewer");
    const published = await evalbench(["publish", "--compare", second, first, "--out", out, "-w", WORKSPACE]);
    expect(published.stdout.trim().split("\n").at(-1)).toContain(`/compare.html?v=2&candidate=${second}&baseline=${first}&`);
    const index = JSON.parse(fs.readFileSync(path.join(out, "index.json"), "utf8")) as { runs: { manifest: { run_id: string; records: { sha256: string } }; records: { sha256: string } }[] };
    expect(index.runs.map((r) => [r.manifest.run_id, r.records.sha256 === r.manifest.records.sha256])).toEqual([[second, true], [first, true]]);

    seen.length = 0;
    const listed = JSON.parse((await evalbench(["ls", "--json", "-w", WORKSPACE])).stdout) as { run_id: string; status: string }[];
    // from the catalog's index and one listing of runs/: no run.json read
    expect(seen.filter((r) => r.method === "GET" && r.path.includes("/runs/")).map((r) => r.path)).toEqual([]);
    expect(seen.some((r) => r.path.startsWith(`/${BUCKET}/shared/index/catalog.parquet`) || r.path.includes("list-type=2&prefix=shared%2Findex%2Fentries"))).toBe(true);
    expect(listed.map((r) => [r.run_id, r.status])).toEqual([[second, "complete"], [first, "complete"]]);
    expect(listed).toEqual(JSON.parse((await evalbench(["ls", "--json", "-w", mirror])).stdout));
    const listsRuns = () => seen.some((r) => r.method === "GET" && r.path.includes("list-type=2") && r.path.includes("prefix=shared%2Fruns%2F"));
    expect(listsRuns()).toBe(true);

    // --no-check: the same runs from the index alone, runs/ not listed
    seen.length = 0;
    expect(JSON.parse((await evalbench(["ls", "--json", "--no-check", "-w", WORKSPACE])).stdout)).toEqual(listed);
    expect(listsRuns()).toBe(false);
  }, 120_000);

  it("a missing bucket, wrong credentials, an unreachable endpoint: one line naming bucket and endpoint, never the secret, nothing written", async () => {
    const missing = await evalbench(["ls", "-w", "s3://no-such-bucket/x"]);
    expect([missing.code, missing.stderr]).toEqual([1, `evalbench: bucket no-such-bucket at ${proxyUrl} does not exist: create it, or check the bucket name\n`]);

    // s3rver checks the access key id (not the signature: a known key with a wrong secret is signature.test.ts's, against moto)
    const wrongKey = { AWS_ACCESS_KEY_ID: "AKIAWRONGKEY", AWS_SECRET_ACCESS_KEY: SECRET };
    const refused = await evalbench(["ls", "-w", WORKSPACE], wrongKey);
    expect([refused.code, refused.stderr]).toEqual([1, `evalbench: bucket ${BUCKET} at ${proxyUrl} refused the credentials (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE\n`]);
    const before = (await new S3Objects({ bucket: BUCKET, prefix: "shared" }).list("")).length;
    const compared = await evalbench(["compare", runIds[1], runIds[0], "-w", WORKSPACE], wrongKey);
    expect(compared.stderr).toBe(`evalbench: bucket ${BUCKET} at ${proxyUrl} refused the credentials (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE\n`);
    // a run through the real runner with those credentials stops before its first question, writing nothing
    const saved = { ...process.env };
    Object.assign(process.env, wrongKey);
    try {
      await expect(runAgainstSim({ tasks: ["gsm8k"], data: { "*": path.join(SHARED_DATA, "gsm8k") }, limit: 5, workspace: WORKSPACE, model: { served_model: "m", name: "m" } }, { checkpoints: [{ name: "m", accuracy: 0.5 }] })).rejects.toThrow(
        new RegExp(`^bucket ${BUCKET} at ${s3.url} refused the credentials \\(InvalidAccessKeyId\\)`),
      );
    } finally {
      Object.assign(process.env, saved);
    }
    expect((await new S3Objects({ bucket: BUCKET, prefix: "shared" }).list("")).length).toBe(before);
    for (const result of [missing, refused, compared]) expect(result.stderr).not.toContain(SECRET);

    const unreachable = await evalbench(["ls", "-w", WORKSPACE], { AWS_ENDPOINT_URL: "http://127.0.0.1:1" });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(new RegExp(`^evalbench: cannot reach bucket ${BUCKET} at http://127\\.0\\.0\\.1:1 \\([^\\n]*ECONNREFUSED[^\\n]*\\): check AWS_ENDPOINT_URL and that the server is up\\n$`));
  }, 120_000);
});
