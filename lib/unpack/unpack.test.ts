import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { planImport } from "@/lib/importers";
import { openZip } from "@/lib/importers/zip";
import { readRows } from "@/lib/runner/data/read-rows";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { zipFile } from "./testing";
import { unpack } from "./unpack";

const MB = 1024 * 1024;

/** `mb` megabytes of zeros, compressed a megabyte at a time (never held whole). */
async function zeros(mb: number, method: "deflate-raw" | "gzip"): Promise<Buffer> {
  const chunk = Buffer.alloc(MB);
  const stream = method === "gzip" ? zlib.createGzip({ level: 1 }) : zlib.createDeflateRaw({ level: 1 });
  const parts: Buffer[] = [];
  const done = new Promise((resolve) => stream.on("end", resolve));
  stream.on("data", (part: Buffer) => parts.push(part));
  for (let i = 0; i < mb; i++) if (!stream.write(chunk)) await new Promise((resolve) => stream.once("drain", resolve));
  stream.end();
  await done;
  return Buffer.concat(parts);
}

/** A one-entry ZIP whose directory declares `declared` bytes unpacked, truthfully or not. */
const oneEntryZip = (name: string, method: number, data: Buffer, declared: number) => zipFile([{ name, method, data, declared }]);

afterEach(() => vi.unstubAllEnvs());

describe("decompression bombs are refused early, naming the file and entry", () => {
  it("a zip entry that inflates past the size its archive declares", async () => {
    const zip = await openZip(oneEntryZip("samples/1.json", 8, await zeros(256, "deflate-raw"), MB));
    await expect(zip.read("samples/1.json")).rejects.toThrow(/^bomb\.zip, entry samples\/1\.json unpacks to more than the 1\.0 MB its archive declares: refused as a decompression bomb/);
    zip.close();
  });

  it("a zip entry declaring more than the cap is refused before it is unpacked", async () => {
    vi.stubEnv("EVALBENCH_MAX_UNPACKED_MB", "64");
    const zip = await openZip(oneEntryZip("data.json", 8, await zeros(1, "deflate-raw"), 3 * 1024 * MB));
    await expect(zip.read("data.json")).rejects.toThrow(/bomb\.zip, entry data\.json declares 3072\.0 MB unpacked, more than the 64\.0 MB evalbench unpacks \(EVALBENCH_MAX_UNPACKED_MB\)/);
    zip.close();
  });

  it("a stored (uncompressed) entry past the cap is refused unread", async () => {
    vi.stubEnv("EVALBENCH_MAX_UNPACKED_MB", "1");
    const zip = await openZip(oneEntryZip("table.jsonl", 0, Buffer.alloc(2 * MB, "a"), 2 * MB));
    await expect(zip.read("table.jsonl")).rejects.toThrow(/bomb\.zip, entry table\.jsonl declares 2\.0 MB unpacked, more than the 1\.0 MB evalbench unpacks/);
    zip.close();
  });

  it("an entry's compressed bytes are streamed: reading stops soon after the output passes its limit", async () => {
    // 32 MB of deflate stored blocks that say they unpack to 1 MB
    const file = oneEntryZip("big.json", 8, zlib.deflateRawSync(Buffer.alloc(32 * MB), { level: 0 }), MB);
    const zip = await openZip(file);
    const read = vi.spyOn(fs, "read");
    await expect(zip.read("big.json")).rejects.toThrow(/unpacks to more than the 1\.0 MB its archive declares/);
    const bytesAsked = read.mock.calls.reduce((sum, call) => sum + Number((call as unknown[])[3]), 0);
    read.mockRestore();
    zip.close();
    expect(bytesAsked).toBeGreaterThan(MB);
    expect(bytesAsked).toBeLessThan(4 * MB);
  });

  it("zstd in an Inspect .eval log, through the importer", async () => {
    const dir = tempWorkspace();
    const raw = path.join(dir, "zeros");
    fs.writeFileSync(raw, Buffer.alloc(64 * MB));
    const zst = spawnSync("zstd", ["-q", "-c", raw]).stdout;
    fs.rmSync(raw);
    const file = oneEntryZip("header.json", 93, zst, 1000);
    fs.renameSync(file, path.join(dir, "log.eval"));
    await expect(planImport([path.join(dir, "log.eval")], { format: "inspect" })).rejects.toThrow(/log\.eval, entry header\.json unpacks to more than the 1000 bytes its archive declares/);
  });

  it("a .gz data file past the cap", async () => {
    vi.stubEnv("EVALBENCH_MAX_UNPACKED_MB", "16");
    const file = path.join(tempWorkspace(), "HumanEval.jsonl.gz");
    fs.writeFileSync(file, await zeros(64, "gzip"));
    await expect(readRows(file)).rejects.toThrow(/^HumanEval\.jsonl\.gz unpacks to more than the 16\.0 MB evalbench unpacks \(EVALBENCH_MAX_UNPACKED_MB\): refused as a decompression bomb$/);
  });

  it("what fits its limits unpacks whole", async () => {
    const text = Buffer.from("hello ".repeat(1000));
    expect(unpack("gzip", zlib.gzipSync(text), "a.gz").equals(text)).toBe(true);
    expect(unpack("deflate-raw", zlib.deflateRawSync(text), "a.zip, entry a", text.length).equals(text)).toBe(true);
  });
});
