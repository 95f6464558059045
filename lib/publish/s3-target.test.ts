import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3Server, type S3Server } from "@/lib/s3/testing/s3-server";
import { RunWriter } from "@/lib/workspace/run-writer";
import { newRun, record, tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { publish } from "./publish";

const BUCKET = "published";
let s3: S3Server;
let s3Url: string;
/** Forwards to the S3 server, but fails every upload of one file: an upload cut part way. */
let faulty: http.Server;
let faultyUrl: string;

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  // the S3 server (s3rver) runs as its own process, as in the e2e suite, on a free port it names
  s3 = await startS3Server([BUCKET]);
  s3Url = s3.url;
  faulty = http.createServer((request, response) => {
    if (request.url!.includes("duckdb-mvp.wasm")) {
      request.resume();
      response.writeHead(500, { "Content-Type": "application/xml" }).end("<Error><Code>InternalError</Code><Message>injected</Message></Error>");
      return;
    }
    const upstream = http.request(`${s3Url}${request.url}`, { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(response);
    });
    request.pipe(upstream);
  });
  faultyUrl = await listen(faulty);
}, 60_000);

afterAll(() => {
  faulty?.close();
  s3?.close();
});

async function workspace(): Promise<string> {
  const ws = tempWorkspace();
  for (const runId of ["cand", "base"]) {
    const writer = RunWriter.create(ws, newRun({ run_id: runId }));
    for (let i = 0; i < 20; i++) writer.append(record(i));
    await writer.finalize();
  }
  return ws;
}

describe("publish to S3", () => {
  it("uploads the index and pages last: an upload cut part way leaves nothing at the link, and publishing again completes it", async () => {
    const ws = await workspace();
    // staging goes to the temp folder: a fresh one, to see that nothing is left in it
    const temp = tempWorkspace();
    process.env.TMPDIR = temp;
    const request = { workspace: ws, compare: { a: "cand", b: "base" }, runs: [], series: null, to: `s3://${BUCKET}/cut`, text: true, baseUrl: null };
    process.env.AWS_ENDPOINT_URL = faultyUrl;
    await expect(publish(request)).rejects.toThrow(`bucket ${BUCKET} at ${faultyUrl} failed:`);
    for (const page of ["index.json", "index.html", "compare.html"]) expect((await fetch(`${s3Url}/${BUCKET}/cut/${page}`)).status, page).toBe(404);

    process.env.AWS_ENDPOINT_URL = s3Url;
    const { link } = await publish(request);
    expect(link).toMatch(new RegExp(`^${s3Url}/${BUCKET}/cut/compare\\.html\\?v=2&candidate=cand&baseline=base&candidate_pin=[0-9a-f]{12}&baseline_pin=[0-9a-f]{12}$`));
    const page = await fetch(link);
    expect([page.status, page.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    const index = (await (await fetch(`${s3Url}/${BUCKET}/cut/index.json`)).json()) as { runs: { records: { path: string; bytes: number } }[] };
    // Range, as the viewer reads text columns
    const range = await fetch(`${s3Url}/${BUCKET}/cut/${index.runs[0].records.path}`, { headers: { Range: "bytes=0-3" } });
    expect([range.status, await range.text()]).toEqual([206, "PAR1"]);
    // nothing staged is left on this machine
    expect(fs.readdirSync(temp)).toEqual([]);
  }, 120_000);
});
