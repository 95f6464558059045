import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { HARNESS_PRESETS } from "../harness";
import { planTask } from "../plan";
import { resolveTask } from "../registry";
import { FIXTURES, SHARED_DATA } from "../testing/sim-run";
import { describeMalformed, loadSplit } from "./load";
import { DataFileError, readRows } from "./read-rows";
import "../tasks";

const dir = tempWorkspace();
const write = (name: string, content: string | Uint8Array) => {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
};
const plan = (spec: string, data: string | null, overrides: string[] = [], limit: number | null = null) =>
  planTask(resolveTask(spec, overrides), HARNESS_PRESETS.default, { data, cacheDir: path.join(dir, "cache"), limit });

describe("data files", () => {
  it("reads JSONL, JSON, CSV and Parquet by extension", async () => {
    expect((await readRows(write("a.jsonl", '{"x":1}\n\n{"x":2}\n'))).rows.map((r) => r.value.x)).toEqual([1, 2]);
    expect((await readRows(write("b.json", '{"canary":"c","examples":[{"x":1},{"x":2}]}'))).rows).toHaveLength(2);
    expect((await readRows(write("c.csv", 'q,a\n"one, two",1\nthree,2\n'))).rows[0].value).toEqual({ q: "one, two", a: "1" });
    const parquet = parquetWriteBuffer({ columnData: [{ name: "question", data: ["q1", "q2"] }, { name: "answer", data: ["#### 1", "#### 2"] }] });
    expect((await readRows(write("d.parquet", new Uint8Array(parquet)))).rows.map((r) => r.value.question)).toEqual(["q1", "q2"]);
  });

  it("counts malformed rows with their row numbers and goes on", async () => {
    write("gsm/test.jsonl", ['{"question":"q0","answer":"#### 1"}', "{not json", '{"question":"q2"}', '{"question":"q3","answer":"#### 3"}', "[1]"].join("\n"));
    const result = await plan("gsm8k", path.join(dir, "gsm"));
    expect(result.questions.map((q) => q.question.id)).toEqual(["0", "3"]);
    expect(result.malformed.map((m) => m.row)).toEqual([2, 5, 3]);
    const [line] = describeMalformed(result.malformed);
    expect(line).toMatch(/^3 malformed rows skipped in .*test\.jsonl: rows 2, 5, 3 \(row 2: not valid JSON/);
    expect(result.malformed.find((m) => m.row === 3)?.reason).toBe('missing field "answer"');
  });

  it("refuses a missing file or one that is not its declared format, naming it", async () => {
    await expect(readRows(path.join(dir, "nope.jsonl"))).rejects.toThrow(/data file .*nope\.jsonl does not exist/);
    await expect(readRows(write("fake.parquet", "not parquet at all"))).rejects.toThrow(/is not a Parquet file/);
    await expect(readRows(write("bad.json", "{oops"))).rejects.toThrow(/is not valid JSON/);
    await expect(readRows(write("bad.jsonl", "a\nb\n"))).rejects.toThrow(/is not JSONL: none of its 2 lines/);
    await expect(readRows(write("x.txt", "hi"))).rejects.toThrow(DataFileError);
    await expect(plan("gsm8k", path.join(dir, "missing-folder"))).rejects.toThrow(/--data .*missing-folder does not exist/);
  });

  it("says how to go zero-shot when the few-shot split is not in the local copy", async () => {
    await expect(plan("gsm8k:cot", path.join(SHARED_DATA, "gsm8k"))).rejects.toThrow(/few-shot split train is needed for 8-shot prompts: add it, or run zero-shot with -o fewshot.n=0/);
  });
});

describe("built-in tasks on the shared data", () => {
  it("gsm8k: 1,319 questions, ids are line positions (the data has none), numeric targets", async () => {
    const p = await plan("gsm8k", path.join(SHARED_DATA, "gsm8k"));
    expect(p.questions).toHaveLength(1319);
    expect(p.questions[0].question).toMatchObject({ id: "0", target: "18" });
    expect(p.malformed).toEqual([]);
  });

  it("mmlu: the subjects present become subtasks, with a note on the missing ones", async () => {
    const p = await plan("mmlu", path.join(SHARED_DATA, "mmlu-subset"), ["fewshot.n=0"]);
    expect(p.questions).toHaveLength(1160);
    expect(new Set(p.questions.map((q) => q.question.subtask)).size).toBe(5);
    expect(p.notes[0]).toMatch(/5 of 57 subtasks found/);
    expect(p.questions[0].question).toMatchObject({ id: "abstract_algebra-0", target: "B" });
    const rc = await plan("mmlu:rc", path.join(SHARED_DATA, "mmlu-subset"), ["fewshot.n=0"], 2);
    expect(rc.questions[0].question.target).toBe("4");
    expect(rc.questions[0].continuations).toEqual([" 0", " 4", " 2", " 6"]);
    // mc and rc render differently but are the same question: one instance hash.
    expect(rc.questions[0].instanceHash).toBe(p.questions[0].instanceHash);
  });

  it("bbh: 27 subtasks, 6,511 questions, limit applies per subtask", async () => {
    const all = await plan("bbh", path.join(SHARED_DATA, "bbh"));
    expect(all.questions).toHaveLength(6511);
    expect(new Set(all.questions.map((q) => q.question.subtask)).size).toBe(27);
    const limited = await plan("bbh", path.join(SHARED_DATA, "bbh"), [], 3);
    expect(limited.questions).toHaveLength(81);
    const single = await plan("bbh", path.join(SHARED_DATA, "bbh", "snarks.json"));
    expect(single.questions).toHaveLength(178);
  });

  it("few-shot exemplars come from the named split by a seeded draw, the same for every question", async () => {
    const a = await plan("gsm8k:cot", path.join(FIXTURES, "gsm8k"), ["fewshot.n=3"]);
    const b = await plan("gsm8k:cot", path.join(FIXTURES, "gsm8k"), ["fewshot.n=3"]);
    const c = await plan("gsm8k:cot", path.join(FIXTURES, "gsm8k"), ["fewshot.n=3", "fewshot.seed=99"]);
    expect(a.questions[0].prompt).toBe(b.questions[0].prompt);
    expect(a.questions[0].prompt).not.toBe(c.questions[0].prompt);
    expect(a.questions[0].prompt.match(/Question:/g)).toHaveLength(4);
    expect(a.questions[0].prompt).toMatch(/The answer is \d+\.\n\nQuestion:/);
    // Shots drawn from the evaluated split itself never include the question.
    const direct = await plan("bbh:direct", path.join(FIXTURES, "bbh"));
    for (const pq of direct.questions) expect(pq.prompt.split(`Q: ${pq.question.text}\nA:`).length).toBe(2);
  });
});

describe("Hugging Face hub datasets", () => {
  const parquet = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: "question", data: ["2+2?", "3+3?"] }, { name: "answer", data: ["so #### 4", "so #### 6"] }] }));
  let asked = "";
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/parquet") {
      asked = url.search;
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      res.end(JSON.stringify({ parquet_files: [{ dataset: "openai/gsm8k", config: "main", split: "test", url: `${base}/files/main/test/0000.parquet`, filename: "0000.parquet", size: parquet.length }, { dataset: "openai/gsm8k", config: "main", split: "train", url: `${base}/files/train.parquet`, filename: "x", size: 1 }] }));
    } else if (url.pathname === "/files/main/test/0000.parquet") res.end(parquet);
    else res.writeHead(404).end();
  });
  afterAll(() => {
    server.close();
    delete process.env.EVALBENCH_HF_DATASETS_SERVER;
  });

  it("resolves a hub path to its Parquet files through the datasets-server and caches them", async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    process.env.EVALBENCH_HF_DATASETS_SERVER = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const p = await plan("gsm8k", null);
    expect(asked).toBe("?dataset=openai%2Fgsm8k&config=main");
    expect(p.questions.map((q) => q.question.target)).toEqual(["4", "6"]);
    const split = await loadSplit(resolveTask("gsm8k").definition, resolveTask("gsm8k").config, "validation", { data: null, cacheDir: path.join(dir, "cache") }).catch((e: Error) => e.message);
    expect(split).toMatch(/has no split validation in config main; it has: main\/test, main\/train/);
  });
});
