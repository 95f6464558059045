import { cachedDownload } from "./download";

/** The datasets-server that lists a hub dataset's Parquet files (overridable for tests and mirrors). */
export function datasetsServer(): string {
  return (process.env.EVALBENCH_HF_DATASETS_SERVER ?? "https://datasets-server.huggingface.co").replace(/\/$/, "");
}

function hubHeaders(): Record<string, string> {
  const token = process.env.HF_TOKEN;
  return token ? { authorization: `Bearer ${token}` } : {};
}

interface ParquetFile {
  config: string;
  split: string;
  url: string;
}

/**
 * Resolves a hub dataset (path, config, split) to its Parquet files through the datasets-server's
 * `/parquet` listing (the `refs/convert/parquet` conversion every public dataset has), downloads
 * them into the cache and returns the local paths in shard order.
 */
export async function hubSplitFiles(dataset: string, config: string | null, split: string, cacheDir: string): Promise<string[]> {
  const query = new URLSearchParams({ dataset, ...(config ? { config } : {}) });
  const listing = `${datasetsServer()}/parquet?${query}`;
  let body: { parquet_files?: ParquetFile[]; error?: string };
  try {
    const response = await fetch(listing, { headers: hubHeaders() });
    body = (await response.json()) as typeof body;
    if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  } catch (error) {
    throw new Error(
      `cannot resolve hub dataset ${dataset}${config ? ` (config ${config})` : ""} via ${datasetsServer()}: ${(error as Error).cause ?? (error as Error).message}; pass --data with a local copy`,
    );
  }
  const files = (body.parquet_files ?? []).filter((f) => f.split === split && (config === null || f.config === config));
  if (files.length === 0) {
    const splits = [...new Set((body.parquet_files ?? []).map((f) => `${f.config}/${f.split}`))];
    throw new Error(`hub dataset ${dataset} has no split ${split}${config ? ` in config ${config}` : ""}; it has: ${splits.join(", ") || "no Parquet files"}`);
  }
  const local: string[] = [];
  for (const file of files) local.push(await cachedDownload(file.url, cacheDir, hubHeaders()));
  return local;
}
