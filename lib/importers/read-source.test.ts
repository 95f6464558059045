import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { BadRows } from "./bad-rows";
import { asObject, asText, parseJson, readJsonFile, readJsonl } from "./read-source";
import { previewImport } from "./preview";
import { FIXTURES } from "./testing";

describe("reading JSON and JSONL sources", () => {
  it("names the file of bad JSON, and says when it looks cut short", () => {
    const file = path.join(tempWorkspace(), "results.json");
    fs.writeFileSync(file, '{"a": ');
    expect(() => readJsonFile(file)).toThrow(/^results\.json is not valid JSON \(it ends early: the file looks truncated\): /);
    expect(() => parseJson('{"a": 1}}', "x.json")).toThrow(/^x\.json is not valid JSON: /);
    expect(() => parseJson('{"a": "open', "x.json")).toThrow(/\(it ends early: the file looks truncated\)/);
    expect(parseJson('{"a": 1}', "x.json")).toEqual({ a: 1 });
  });

  it("yields each JSONL object with its line number, reporting lines that are no object or no JSON", () => {
    const bad = new BadRows(true);
    const text = ['{"a": 1}', "", "   ", "[1, 2]", "null", "7", "{oops", '{"b": 2}', '{"c": '].join("\n");
    const rows = [...readJsonl("/data/s.jsonl", bad, text)];
    expect(rows).toEqual([{ line: 1, value: { a: 1 } }, { line: 8, value: { b: 2 } }]);
    expect(bad.skipped.map((s) => [s.file, s.where, s.reason.replace(/: .*/, "")])).toEqual([
      ["s.jsonl", "line 4", "is not a JSON object"],
      ["s.jsonl", "line 5", "is not a JSON object"],
      ["s.jsonl", "line 6", "is not a JSON object"],
      ["s.jsonl", "line 7", "not valid JSON"],
      ["s.jsonl", "line 9", "not valid JSON (the last line is cut short"],
    ]);
    // a cut line followed by the file's final newline is still the last line
    const cut = new BadRows(true);
    expect([...readJsonl("/data/s.jsonl", cut, '{"a": 1}\n{"b"\n')]).toHaveLength(1);
    expect(cut.skipped[0].reason).toMatch(/^not valid JSON \(the last line is cut short: the file looks truncated\): /);
    const middle = new BadRows(true);
    expect([...readJsonl("/data/s.jsonl", middle, '{"b"\n{"a": 1}\n')]).toHaveLength(1);
    expect(middle.skipped[0].reason).toMatch(/^not valid JSON: /);
    // the line before a last line that has no newline after it is not the last
    const beforeLast = new BadRows(true);
    expect([...readJsonl("/data/s.jsonl", beforeLast, '{"b"\n{"a": 1}')]).toHaveLength(1);
    expect(beforeLast.skipped[0].reason).toMatch(/^not valid JSON: /);
  });

  it("reads the file itself when given no text, and stops at the first bad line without --skip-bad-rows", () => {
    const file = path.join(tempWorkspace(), "s.jsonl");
    fs.writeFileSync(file, '{"a": 1}\n[]\n');
    const rows = readJsonl(file, new BadRows(false));
    expect(rows.next().value).toEqual({ line: 1, value: { a: 1 } });
    expect(() => rows.next()).toThrow(/^s\.jsonl line 2: is not a JSON object; fix the source, or pass --skip-bad-rows to import the other rows$/);
  });

  it("takes objects as objects and anything as text", () => {
    expect(asObject({ a: 1 })).toEqual({ a: 1 });
    for (const value of [null, [1], "a", 3, undefined]) expect(asObject(value)).toBeNull();
    expect([asText("x"), asText(null), asText(undefined), asText(3), asText({ a: [1] })]).toEqual(["x", null, null, "3", '{"a":[1]}']);
  });
});

describe("the import form's preview", () => {
  it("lists the runs it would create, which exist already, and skipped rows by file name", async () => {
    const dir = tempWorkspace();
    const file = path.join(dir, "answers.jsonl");
    fs.writeFileSync(file, '{"q": "a", "ok": true}\n{"q": "b", "ok": "maybe"}\n');
    const ws = tempWorkspace();
    const options = { table: { id: "q", score: "ok" }, modelName: "m", checkpoint: "c1", skipBadRows: true };
    const preview = await previewImport(ws, [file], options);
    expect(preview.formats).toEqual(["table"]);
    expect(preview.runs).toEqual([{ run_id: expect.stringMatching(/^import-table-m-answers-/), task: "answers", model: "m", checkpoint: "c1", records: 1, exists: false }]);
    expect(preview.skipped).toEqual([{ file: "answers.jsonl", where: "row 2", reason: expect.stringMatching(/maybe/) }]);
    fs.mkdirSync(path.join(ws, "runs", preview.runs[0].run_id), { recursive: true });
    expect((await previewImport(ws, [file], options)).runs[0].exists).toBe(true);
  });

  it("shows a task's variant after its name", async () => {
    const olmo = path.join(FIXTURES, "olmo-eval", "task-000-arc_challenge-predictions.jsonl");
    expect((await previewImport(tempWorkspace(), [olmo], {})).runs.map((r) => r.task)).toEqual(["arc_challenge:rc::olmes"]);
  });
});
