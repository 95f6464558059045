import { spawn } from "node:child_process";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";

export interface S3Server {
  url: string;
  pid: number;
  close(): void;
}

/**
 * A real S3 API server (s3rver, the e2e suite's e2e/fixtures/s3-server.mjs) in its own process on
 * a free port, holding the named buckets, with the standard AWS environment pointed at it
 * (credentials S3RVER / S3RVER, which it checks by access key id). Its objects are kept in
 * `directory` (a fresh temp folder unless given: a bench keeps its bucket between runs).
 */
export async function startS3Server(buckets: string[], directory = tempWorkspace()): Promise<S3Server> {
  const child = spawn(process.execPath, ["e2e/fixtures/s3-server.mjs", directory, "0", ...buckets], { stdio: ["ignore", "pipe", "inherit"] });
  const ready = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString()));
    child.once("exit", (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${/ready (\d+)/.exec(ready)![1]}`;
  Object.assign(process.env, { AWS_ENDPOINT_URL: url, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" });
  return { url, pid: child.pid!, close: () => child.kill() };
}
