import { spawnSync } from "node:child_process";
import fs from "node:fs";
import zlib from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { zipFile } from "@/lib/unpack/testing";
import { openZip } from "./zip";

const text = (s: string) => Buffer.from(s);
const stored = (name: string, s: string) => ({ name, method: 0, data: text(s), declared: text(s).length });
const deflated = (name: string, s: string) => ({ name, method: 8, data: zlib.deflateRawSync(text(s)), declared: text(s).length });
const zstd = (name: string, s: string) => ({ name, method: 93, data: spawnSync("zstd", ["-q", "-c"], { input: text(s) }).stdout, declared: text(s).length });

afterEach(() => vi.unstubAllEnvs());

describe("ZIP archives", () => {
  it("lists the files (not the folders) and reads stored, deflate and zstd entries by name", async () => {
    const zip = await openZip(zipFile([stored("a.json", "[1]"), { name: "dir/", method: 0, data: Buffer.alloc(0), declared: 0 }, deflated("dir/b.jsonl", "{}\n".repeat(50)), zstd("c.csv", "x,y\n1,2\n")], "t.zip"));
    expect(zip.names).toEqual(["a.json", "dir/b.jsonl", "c.csv"]);
    expect((await zip.read("a.json")).toString()).toBe("[1]");
    expect((await zip.read("dir/b.jsonl")).toString()).toBe("{}\n".repeat(50));
    expect((await zip.read("c.csv")).toString()).toBe("x,y\n1,2\n");
    await expect(zip.read("dir/")).rejects.toThrow(/^t\.zip has no entry dir\/$/);
    zip.close();
  });

  it("closing an archive closes its file", async () => {
    const openFiles = () => fs.readdirSync("/proc/self/fd").length;
    const file = zipFile([stored("a.json", "[1]")], "t.zip");
    const before = openFiles();
    const zip = await openZip(file);
    expect(openFiles()).toBe(before + 1);
    zip.close();
    expect(openFiles()).toBe(before);
  });

  it("names the archive and entry of a method it does not read, or bytes that do not unpack", async () => {
    const zip = await openZip(zipFile([{ ...stored("a.json", "[1]"), method: 12 }, { ...deflated("b.json", "[2]"), data: text("not deflate") }], "t.zip"));
    await expect(zip.read("a.json")).rejects.toThrow(
      /^t\.zip, entry a\.json: cannot be read \(compression method 12 is not supported \(stored, deflate and zstd are\)\); the archive is damaged, copy it again from its source$/,
    );
    await expect(zip.read("b.json")).rejects.toThrow(/^t\.zip, entry b\.json: cannot be read \(.+\); the archive is damaged, copy it again from its source$/);
    zip.close();
  });

  it("refuses an entry that unpacks to less than its archive declares", async () => {
    const zip = await openZip(zipFile([{ ...deflated("a.json", "[1]"), declared: 10 }], "t.zip"));
    await expect(zip.read("a.json")).rejects.toThrow(/^t\.zip, entry a\.json: cannot be read \(it decompresses to 3 bytes, the archive says 10\); the archive is damaged/);
    zip.close();
  });

  it("says a decompression bomb is refused and what to do if it is genuine", async () => {
    vi.stubEnv("EVALBENCH_MAX_UNPACKED_MB", "1");
    const zip = await openZip(zipFile([{ name: "big.json", method: 8, data: zlib.deflateRawSync(Buffer.alloc(2 << 20)), declared: 2 << 20 }], "t.zip"));
    await expect(zip.read("big.json")).rejects.toThrow(
      /^t\.zip, entry big\.json declares 2\.0 MB unpacked, more than the 1\.0 MB evalbench unpacks \(EVALBENCH_MAX_UNPACKED_MB\).*; import it from the shell after unpacking it yourself if it is genuine$/,
    );
    zip.close();
  });

  it("names a file that is no archive, or one cut short", async () => {
    const whole = zipFile([stored("a.json", "[1]"), stored("b.json", "[2]")], "t.zip");
    const bytes = fs.readFileSync(whole);
    fs.writeFileSync(whole, bytes.subarray(0, bytes.length - 30));
    await expect(openZip(whole)).rejects.toThrow(/^t\.zip cannot be opened as a ZIP archive \(.+\): the file is truncated or not an archive; copy it again from its source$/);
    // an end record that promises more entries than the directory holds
    const short = zipFile([stored("a.json", "[1]")], "s.zip");
    const patched = fs.readFileSync(short);
    patched.writeUInt16LE(2, patched.length - 22 + 8);
    patched.writeUInt16LE(2, patched.length - 22 + 10);
    fs.writeFileSync(short, patched);
    await expect(openZip(short)).rejects.toThrow(/^s\.zip: the archive's directory cannot be read \(.+\); the file is truncated or corrupt$/);
  });
});
