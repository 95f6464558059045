import fs from "node:fs";
import path from "node:path";
import { contentHash } from "@/lib/schema/hash";

/**
 * Downloads a URL into the data cache once and returns the local file; later runs reuse it.
 * The file keeps the URL's extension so its format is known. Headers (a token) are sent but
 * never part of the cache name or any message.
 */
export async function cachedDownload(url: string, cacheDir: string, headers: Record<string, string> = {}): Promise<string> {
  const parsed = new URL(url);
  const base = path.basename(parsed.pathname) || "data";
  const file = path.join(cacheDir, `${contentHash(`${parsed.origin}${parsed.pathname}`)}-${base}`);
  if (fs.existsSync(file)) return file;
  const shown = `${parsed.origin}${parsed.pathname}`;
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: "follow" });
  } catch (error) {
    throw new Error(`cannot download ${shown}: ${(error as Error).cause ?? (error as Error).message}; check the network, or pass --data with a local copy`);
  }
  if (!response.ok) throw new Error(`downloading ${shown} failed: HTTP ${response.status} ${response.statusText}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  fs.mkdirSync(cacheDir, { recursive: true });
  // Write then rename, so a killed download never leaves a half file that looks cached.
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, bytes);
  fs.renameSync(partial, file);
  return file;
}
