import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { zipFile } from "@/lib/unpack/testing";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { planImport } from "./index";
import { TABLE_TEMP_PREFIX } from "./table";

/** Writes a small table file. */
function tableFile(name: string, text: string): string {
  const file = path.join(tempWorkspace(), name);
  fs.writeFileSync(file, text);
  return file;
}

const CSV = "qid,pred,gold\nq1,A,A\nq2,B,C\n";

describe("table import: mappings at their edges", () => {
  it("an empty expression maps nothing, and '#row' is a row position only for --id", async () => {
    const { runs } = await planImport([tableFile("a.csv", CSV)], { table: { id: "qid", score: "pred = gold", response: "", subtask: "" }, modelName: "m" });
    expect(runs[0].records.map((r) => [r.response, r.subtask])).toEqual([[null, null], [null, null]]);
    await expect(planImport([tableFile("a.csv", CSV)], { table: { id: "qid", score: "pred = gold", subtask: "#row" }, modelName: "m" })).rejects.toThrow(/^--subtask "#row" does not work on a\.csv/);
  });

  it("a mapping that fails on a row's value says so in DuckDB's words", async () => {
    await expect(planImport([tableFile("a.csv", CSV)], { table: { id: "CAST(pred AS INTEGER)", score: "1" }, modelName: "m" })).rejects.toThrow(/Conversion Error/);
  });

  it("reads file names with quotes, and .zip inside a name is no archive", async () => {
    for (const name of ["it's.csv", "a.zip.csv"]) {
      const { runs } = await planImport([tableFile(name, CSV)], { table: { id: "qid", score: "pred = gold" }, modelName: "m" });
      expect(runs[0].records, name).toHaveLength(2);
    }
  });

  it("a JSON array of rows is never unnested, even when its rows hold one list", async () => {
    const rows = [{ qid: "q1", ok: true, steps: [{ n: 1 }] }, { qid: "q2", ok: false, steps: [{ n: 2 }, { n: 3 }] }];
    const { runs } = await planImport([tableFile("a.json", JSON.stringify(rows))], { table: { id: "qid", score: "ok" }, modelName: "m" });
    expect(runs[0].records.map((r) => r.instance_id)).toEqual(["q1", "q2"]);
  });

  it("a request already gone stops the import before it reads", async () => {
    const request = new AbortController();
    request.abort();
    await expect(planImport([tableFile("a.csv", CSV)], { table: { id: "qid", score: "pred = gold" }, modelName: "m", signal: request.signal })).rejects.toThrow(
      /^the import of a\.csv was stopped: the request that asked for it went away$/,
    );
  });

  it("leaves no extracted entry and no open archive behind, whether it works or fails", async () => {
    const ours = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(`${TABLE_TEMP_PREFIX}${process.pid}-`));
    const openFiles = () => fs.readdirSync("/proc/self/fd").length;
    const entry = (name: string, text: string) => ({ name, method: 8, data: zlib.deflateRawSync(Buffer.from(text)), declared: text.length });
    const before = [ours(), openFiles()];
    await planImport([zipFile([entry("a.csv", CSV)], "t.zip")], { table: { id: "qid", score: "pred = gold" }, modelName: "m" });
    await expect(planImport([zipFile([entry("a.csv", CSV)], "t.zip")], { table: { id: "qid", score: "nope" }, modelName: "m" })).rejects.toThrow(/--score "nope" does not work/);
    await expect(planImport([zipFile([entry("a.txt", CSV)], "t.zip")], { table: { id: "qid", score: "1" }, modelName: "m" })).rejects.toThrow(/holds no JSON/);
    expect([ours(), openFiles()]).toEqual(before);
  });
});
