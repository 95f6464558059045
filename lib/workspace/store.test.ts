import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterDirs } from "@/lib/cluster/jobs";
import { startS3Server, type S3Server } from "@/lib/s3/testing/s3-server";
import { workspaceFileBody } from "./store";
import { tempWorkspace } from "./testing/fixtures";

const WORKSPACE = "s3://lab-evals/team";
let s3: S3Server;

beforeAll(async () => {
  s3 = await startS3Server(["lab-evals"]);
  process.env.XDG_CACHE_HOME = tempWorkspace();
}, 60_000);
afterAll(() => {
  s3?.close();
  delete process.env.XDG_CACHE_HOME;
});

describe("a bucket workspace's files as the app serves them", () => {
  it("serves the Slurm jobs' logs from the bucket's local mirror, and nothing else of it: job records and anything outside come from the bucket or are refused", async () => {
    const { logs, jobs } = clusterDirs(WORKSPACE);
    fs.mkdirSync(logs, { recursive: true });
    fs.writeFileSync(path.join(logs, "7_0.log"), "gsm8k-olmo-step1  complete\n");
    fs.mkdirSync(jobs, { recursive: true });
    fs.writeFileSync(path.join(jobs, "7_0.json"), "{}");

    expect(await workspaceFileBody(WORKSPACE, ["cluster", "logs", "7_0.log"])).toEqual({ file: path.join(logs, "7_0.log") });
    // the mirror's other files are not the bucket's: asked of the bucket, which has none
    await expect(workspaceFileBody(WORKSPACE, ["cluster", "jobs", "7_0.json"])).rejects.toMatchObject({ status: 404 });
    await expect(workspaceFileBody(WORKSPACE, ["cluster", "logs", "..", "jobs", "7_0.json"])).rejects.toMatchObject({ status: 403 });
    await expect(workspaceFileBody(WORKSPACE, ["cluster", "logs", "nope.log"])).rejects.toMatchObject({ status: 404 });
  });
});
