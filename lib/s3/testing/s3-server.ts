import { spawn } from "node:child_process";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";

export interface S3Server {
  url: string;
  pid: number;
  /** Where it keeps the objects, for a restart that finds them again. */
  directory: string;
  port: number;
  /** Stops the server; resolves once its process is gone and the port free. */
  close(): Promise<void>;
}

/**
 * A real S3 API server (s3rver, the e2e suite's e2e/fixtures/s3-server.mjs) in its own process on
 * a free port, holding the named buckets, with the standard AWS environment pointed at it
 * (credentials S3RVER / S3RVER, which it checks by access key id). Its objects are kept in
 * `at.directory` (a fresh temp folder unless given: a bench keeps its bucket between runs); `at`
 * with a port restarts a stopped one: the same port and objects.
 */
export async function startS3Server(buckets: string[], at: { directory?: string; port?: number } = {}): Promise<S3Server> {
  const directory = at.directory ?? tempWorkspace();
  const child = spawn(process.execPath, ["e2e/fixtures/s3-server.mjs", directory, String(at.port ?? 0), ...buckets], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString()));
    child.once("exit", (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  const port = Number(/ready (\d+)/.exec(ready)![1]);
  const url = `http://127.0.0.1:${port}`;
  Object.assign(process.env, { AWS_ENDPOINT_URL: url, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" });
  return {
    url,
    pid: child.pid!,
    directory,
    port,
    close: () => {
      child.kill();
      return exited;
    },
  };
}
