import { spawn } from "node:child_process";
import path from "node:path";
import { COMPARE_PAGE } from "@/lib/publish/published-index";
import { isS3Url } from "@/lib/s3/location";

/** Where the app publishes: EVALBENCH_PUBLISH (a folder or s3://BUCKET/PREFIX) and the public address of a folder. */
export interface PublishSetting {
  to: string;
  baseUrl: string | null;
}

export function publishSetting(): PublishSetting | null {
  const to = process.env.EVALBENCH_PUBLISH;
  return to ? { to, baseUrl: process.env.EVALBENCH_PUBLISH_BASE_URL || null } : null;
}

/** How long a publish may take before it is given up (copying or uploading runs of a few hundred MB). */
const PUBLISH_TIMEOUT_MS = 10 * 60_000;

/**
 * Publishes A against B with `evalbench publish` as a child process (esbuild and the S3 client
 * stay out of the server), each time into a new subfolder or prefix, since a published viewer
 * never changes. Returns the address of the viewer's folder.
 */
export function publishComparison(workspace: string, setting: PublishSetting, a: string, b: string): Promise<string> {
  if (!isS3Url(setting.to) && !setting.baseUrl) {
    return Promise.reject(new Error(`EVALBENCH_PUBLISH is the folder ${setting.to}: set EVALBENCH_PUBLISH_BASE_URL to the address it is served at, so reviewers can open the link`));
  }
  const name = `${a}-vs-${b}-${Date.now().toString(36)}`;
  const to = isS3Url(setting.to) ? `${setting.to.replace(/\/+$/, "")}/${name}` : path.join(setting.to, name);
  const where = isS3Url(setting.to) ? ["--to", to] : ["--out", to];
  const base = setting.baseUrl ? ["--base-url", `${setting.baseUrl.replace(/\/+$/, "")}/${name}/`] : [];
  const args = [path.resolve("bin", "evalbench.mjs"), "publish", "--compare", a, b, ...where, ...base, "--workspace", workspace];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], timeout: PUBLISH_TIMEOUT_MS });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const link = out.trim().split("\n").at(-1) ?? "";
      if (code === 0 && link.includes(COMPARE_PAGE)) return resolve(link.slice(0, link.indexOf(COMPARE_PAGE)));
      const reason = err.trim().split("\n").at(-1)?.replace(/^evalbench: /, "") || `evalbench publish exited with ${code}`;
      reject(new Error(`publishing failed: ${reason}`));
    });
  });
}
