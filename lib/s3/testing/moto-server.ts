import { spawn } from "node:child_process";
import path from "node:path";

export interface MotoServer {
  url: string;
  /** The IAM user's key, allowed every S3 action: requests signed with another secret are refused. */
  accessKeyId: string;
  secretAccessKey: string;
  /** Stops the server; resolves once its process is gone. */
  close(): Promise<void>;
}

const LAUNCHER = path.resolve("lib", "s3", "testing", "moto-server.py");
const MISSING = "the signature tests need moto's S3 server (Python package moto with its server extra, `moto_server` on PATH, as in the machine image) in the python3 on PATH";

/**
 * A real S3 API server that checks SigV4 signatures (moto's, through moto-server.py) in its own
 * process on a free port, holding the named buckets, with the standard AWS environment pointed at
 * it. Until its IAM authentication is switched on, moto takes any request: that is when the
 * buckets, an IAM user, its S3 policy and its access key are made.
 */
export async function startMotoServer(buckets: string[]): Promise<MotoServer> {
  const child = spawn("python3", [LAUNCHER, "-H", "127.0.0.1", "-p", "0"], { stdio: ["ignore", "ignore", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let stderr = "";
    const untilRunning = (chunk: Buffer) => {
      stderr += chunk.toString();
      const running = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (!running) return;
      // from here stderr logs every request: let it flow away, or a full pipe would stall the server
      child.stderr!.off("data", untilRunning).resume();
      resolve(running[1]);
    };
    child.stderr!.on("data", untilRunning);
    child.once("error", (error) => reject(new Error(`cannot start python3 (${error.message}): ${MISSING}`)));
    child.once("exit", (code) => reject(new Error(`moto's server exited with ${code} (${stderr.trim().split("\n").at(-1)}): ${MISSING}`)));
  });

  const { accessKeyId, secretAccessKey } = await setUp(url, buckets).catch(async (error: unknown) => {
    child.kill();
    await exited;
    throw error;
  });
  Object.assign(process.env, { AWS_ENDPOINT_URL: url, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_REGION: "us-east-1" });
  return {
    url,
    accessKeyId,
    secretAccessKey,
    close: () => {
      child.kill();
      return exited;
    },
  };
}

/** Makes the buckets and an IAM user allowed every S3 action, then has moto check every request's signature; returns the user's key. */
async function setUp(url: string, buckets: string[]): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const iam = async (params: Record<string, string>) => {
    // moto routes a request by the service named in its credential scope; unchecked until authentication is on
    const authorization = "AWS4-HMAC-SHA256 Credential=setup/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0";
    const answer = await fetch(url, { method: "POST", headers: { authorization }, body: new URLSearchParams({ Version: "2010-05-08", ...params }) });
    if (!answer.ok) throw new Error(`moto IAM ${params.Action}: ${answer.status} ${await answer.text()}`);
    return answer.text();
  };
  await iam({ Action: "CreateUser", UserName: "evalbench" });
  const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };
  await iam({ Action: "PutUserPolicy", UserName: "evalbench", PolicyName: "s3", PolicyDocument: JSON.stringify(policy) });
  const key = await iam({ Action: "CreateAccessKey", UserName: "evalbench" });
  for (const bucket of buckets) {
    const made = await fetch(`${url}/${bucket}`, { method: "PUT" });
    if (!made.ok) throw new Error(`moto: creating bucket ${bucket}: ${made.status}`);
  }
  // from here on every request must carry a valid signature by a known key
  const on = await fetch(`${url}/moto-api/reset-auth`, { method: "POST", headers: { "content-type": "text/plain" }, body: "0" });
  if (!on.ok) throw new Error(`moto: switching on authentication: ${on.status}`);
  return { accessKeyId: /<AccessKeyId>([^<]+)</.exec(key)![1], secretAccessKey: /<SecretAccessKey>([^<]+)</.exec(key)![1] };
}
