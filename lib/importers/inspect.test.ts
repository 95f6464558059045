import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { contentHash, instanceHash } from "@/lib/schema/hash";
import { zipFile } from "@/lib/unpack/testing";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { runsRoot } from "@/lib/workspace/paths";
import { importPaths, planImport } from "./index";
import { isInspectFile } from "./inspect";
import { FIXTURES } from "./testing";

const fixture = (name: string) => path.join(FIXTURES, "inspect", name);

describe("Inspect import of zstd-compressed logs (fixtures)", () => {
  it("reads zstd entries; epochs become samples; P scores 0.5 and numbers count as they are", async () => {
    const ws = tempWorkspace();
    const { created, reported } = await importPaths(ws, [fixture("zstd.eval")]);
    const [m] = created;
    expect(m.counts.done).toBe(4);
    expect(m.metrics.match.n).toBe(2);
    expect(m.metrics.match.value).toBeCloseTo(0.625, 12);
    expect(reported[m.run_id].match).toBe(0.625);
    expect(m.seed).toBe(7);
    expect(m.task.name).toBe("arith");
    expect(m.model).toMatchObject({ name: "tiny-lm", provider: "hf" });
    const { runs } = await planImport([fixture("zstd.eval")]);
    expect(runs[0].records.map((r) => [r.instance_id, r.sample, r.score])).toEqual([["q1", 0, 1], ["q1", 1, 0.5], ["q2", 0, 0], ["q2", 1, 1]]);
    expect(runs[0].records[0].prompt).toBe("What is 2 + 2?");
  });

  it("fails on a truncated archive, naming the file, and writes nothing", async () => {
    const cut = path.join(tempWorkspace(), "cut.eval");
    const bytes = fs.readFileSync(fixture("zstd.eval"));
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
    const ws = tempWorkspace();
    await expect(importPaths(ws, [cut])).rejects.toThrow(/^cut\.eval cannot be opened as a ZIP archive.*truncated/);
    expect(fs.existsSync(runsRoot(ws)) ? fs.readdirSync(runsRoot(ws)) : []).toEqual([]);
  });

  it("names the archive and entry when a zstd entry does not decompress", async () => {
    await expect(planImport([fixture("zstd-corrupt-entry.eval")])).rejects.toThrow(/zstd-corrupt-entry\.eval, entry samples\/q2_epoch_1\.json: cannot be read/);
  });

  it("skips the damaged entry with --skip-bad-rows and reports it", async () => {
    const { runs, skipped } = await planImport([fixture("zstd-corrupt-entry.eval")], { skipBadRows: true });
    expect(runs[0].records).toHaveLength(3);
    expect(skipped).toEqual([expect.objectContaining({ file: "zstd-corrupt-entry.eval", where: "entry samples/q2_epoch_1.json" })]);
  });

  it("refuses a score value Inspect does not convert, naming the entry and the value", async () => {
    await expect(planImport([fixture("unknown-score.eval")])).rejects.toThrow(/unknown-score\.eval, entry samples\/q2_epoch_2\.json, scorer match: score value "maybe"/);
  });
});

type Json = Record<string, unknown>;

/** An Inspect header: eval spec, plan and results, with `extra` merged into `eval`. */
function header(extra: Json = {}, top: Json = {}): Json {
  return {
    version: 2,
    status: "success",
    eval: { task: "inspect_evals/quiz", task_version: 1, model: "openai/gpt-4o", dataset: { name: "quiz", location: "quiz.jsonl", samples: 3 }, config: {}, packages: { inspect_ai: "0.3.130" }, ...extra },
    plan: { steps: [{ solver: "generate" }] },
    results: { scores: [{ name: "choice", metrics: { accuracy: { name: "accuracy", value: 0.5 } } }] },
    ...top,
  };
}

/** A sample as Inspect writes it: string input, a completion and a C/I score with its answer. */
function sample(id: string | number, extra: Json = {}): Json {
  return {
    id,
    epoch: 1,
    input: `Question ${id}?`,
    target: "B",
    messages: [{ role: "user", content: `Question ${id}?` }, { role: "assistant", content: "ANSWER: B" }],
    output: { completion: "ANSWER: B", choices: [{ message: { role: "assistant", content: "ANSWER: B" } }], usage: { input_tokens: 20, output_tokens: 4 } },
    scores: { choice: { value: "C", answer: "B" } },
    metadata: {},
    total_time: 1.25,
    ...extra,
  };
}

/** A `.json` log (the whole log in one JSON document) in a temp folder. */
function jsonLog(head: Json, samples: Json[], name = "log.json"): string {
  const file = path.join(tempWorkspace(), name);
  fs.writeFileSync(file, JSON.stringify({ ...head, samples }, null, 2));
  return file;
}

/** An `.eval` archive of deflated JSON entries (name -> value, or raw text). */
function evalLog(entries: Record<string, Json | string>, name = "log.eval"): string {
  return zipFile(
    Object.entries(entries).map(([entry, value]) => {
      const raw = Buffer.from(typeof value === "string" ? value : JSON.stringify(value));
      return { name: entry, method: 8, data: zlib.deflateRawSync(raw), declared: raw.length };
    }),
    name,
  );
}

const recordsOf = async (file: string, options = {}) => (await planImport([file], options)).runs[0].records;

describe("Inspect .json logs", () => {
  it("are told from other JSON by their opening version and status, whitespace allowed", () => {
    const dir = tempWorkspace();
    const write = (name: string, text: string) => (fs.writeFileSync(path.join(dir, name), text), path.join(dir, name));
    expect(isInspectFile(write("a.json", '\n  {\n  "version" : 2 ,\n "status" : "success"}'))).toBe(true);
    expect(isInspectFile(write("a12.json", '{"version": 12, "status": "success"}'))).toBe(true);
    expect(isInspectFile(write("b.json", '{"status": "success", "version": 2}'))).toBe(false);
    expect(isInspectFile(write("c.json", '{"version": "2", "status": "success"}'))).toBe(false);
    expect(isInspectFile(write("d.json", 'x{"version": 2, "status": "success"}'))).toBe(false);
    expect(isInspectFile(write("e.jsonl", '{"version": 2, "status": "success"}'))).toBe(false);
    expect(isInspectFile(write("f.eval", "anything"))).toBe(true);
    expect(isInspectFile(write("short.json", "{}"))).toBe(false);
  });

  it("keep prompt, response, extracted answer and target apart, with usage, time, subject and the transcript", async () => {
    const file = jsonLog(header(), [
      sample(1, {
        input: "Which letter?",
        target: "B",
        output: { completion: "I think B. ANSWER: B", usage: { input_tokens: 31, output_tokens: 7 } },
        scores: { choice: { value: "C", answer: "B", explanation: "matched" } },
        metadata: { subject: "letters" },
        total_time: 2.5,
      }),
    ]);
    const [record] = await recordsOf(file);
    expect(record).toMatchObject({
      task: "quiz",
      subtask: "letters",
      instance_id: "1",
      sample: 0,
      prompt: "Which letter?",
      response: "I think B. ANSWER: B",
      extracted: "B",
      target: "B",
      score: 1,
      scores: { choice: 1 },
      error: null,
      input_tokens: 31,
      output_tokens: 7,
      latency_ms: 2500,
    });
    expect(record.transcript).toEqual([{ role: "user", content: "Question 1?" }, { role: "assistant", content: "ANSWER: B" }]);
    expect(record.instance_hash).toBe(instanceHash({ input: "Which letter?", choices: undefined }, "B"));
  });

  it("write chat input as role-prefixed turns, and take the response from the first choice when the completion is empty", async () => {
    const chat = [
      { role: "system", content: "Answer with a letter." },
      { content: [{ type: "text", text: "Look: " }, { type: "image", image: "data:..." }, null, "then answer"] },
      { role: "user", content: { unexpected: true } },
      "not a message",
    ];
    const file = jsonLog(header(), [
      sample("a", { input: chat, choices: ["A", "B"], output: { completion: "", choices: [{ message: { content: [{ type: "text", text: "ANSWER: " }, { type: "reasoning" }, "A"] } }] } }),
      sample("b", { output: { choices: [{ message: { content: "plain B" } }] } }),
      sample("c", { output: {}, input: 42 }),
    ]);
    const [a, b, c] = await recordsOf(file);
    expect(a.prompt).toBe("system: Answer with a letter.\n\nuser: Look: then answer\n\nuser: \n\nuser: ");
    expect(a.response).toBe("ANSWER: A");
    expect(a.instance_hash).toBe(instanceHash({ input: chat, choices: ["A", "B"] }, "B"));
    expect(b.response).toBe("plain B");
    expect(c).toMatchObject({ prompt: null, response: null, input_tokens: null, output_tokens: null });
  });

  it("turn each score shape Inspect writes into numbers, one metric per key of a dict score", async () => {
    const scores = (value: unknown) => ({ scores: { choice: { value } } });
    const file = jsonLog(header(), [
      sample(1, scores("C")),
      sample(2, scores("I")),
      sample(3, scores("P")),
      sample(4, scores("N")),
      sample(5, scores(0.75)),
      sample(6, scores(true)),
      sample(7, scores(false)),
      sample(8, scores("Yes")),
      sample(9, scores("no")),
      sample(10, scores(" 0.25 ")),
      sample(11, scores(null)),
      sample(12, { scores: { choice: { value: "C" }, rubric: { value: { clarity: 3, correct: "I" } } } }),
      sample(13, { scores: { choice: { value: "TRUE" } } }),
      // a score without a value, and a scorer whose score is not an object: unscored
      sample(14, { scores: { choice: { answer: "B" } } }),
      sample(15, { scores: { choice: null } }),
    ]);
    const records = await recordsOf(file);
    expect(records.map((r) => r.score)).toEqual([1, 0, 0.5, 0, 0.75, 1, 0, 1, 0, 0.25, null, 1, 1, null, null]);
    expect(records[11].scores).toEqual({ choice: 1, "rubric/clarity": 3, "rubric/correct": 0 });
    expect(records[11].extracted).toBeNull();
  });

  it("refuse a blank or unknown score value, naming the scorer and the key of a dict score", async () => {
    await expect(recordsOf(jsonLog(header(), [sample(1, { scores: { choice: { value: " " } } })]))).rejects.toThrow(/^log\.json entry samples\[0\]: log\.json, entry samples\[0\], scorer choice: score value " " is not one Inspect converts/);
    await expect(recordsOf(jsonLog(header(), [sample(1), sample(2, { scores: { rubric: { value: { tone: "warm" } } } })]))).rejects.toThrow(
      /^log\.json entry samples\[1\]: log\.json, entry samples\[1\], scorer rubric\.tone: score value "warm"/,
    );
    await expect(recordsOf(jsonLog(header(), [sample(1, { scores: { choice: { value: [1] } } })]))).rejects.toThrow(/score value \[1\] is not one/);
    await expect(recordsOf(jsonLog(header(), [sample(1, { scores: { choice: { value: "Infinity" } } })]))).rejects.toThrow(/score value "Infinity" is not one/);
  });

  it("record a sample that failed as an error with no score, never as a wrong answer", async () => {
    const file = jsonLog(header(), [
      sample(1, { error: { message: "RateLimitError: too many requests", traceback: "..." }, output: { completion: "" }, scores: { choice: { value: "I" } } }),
      sample(2, { error: "timed out" }),
      sample(3, { error: null }),
      // an error that is not Inspect's shape is still an error, kept as JSON
      sample(4, { error: { message: 504 } }),
      sample(5, { error: 1 }),
    ]);
    const records = await recordsOf(file);
    expect(records.map((r) => [r.score, r.error])).toEqual([[null, "RateLimitError: too many requests"], [null, "timed out"], [1, null], [null, '{"message":504}'], [null, "1"]]);
    expect(records[0].scores).toEqual({ choice: 0 });
    const ws = tempWorkspace();
    const { created } = await importPaths(ws, [file]);
    expect(created[0].counts).toMatchObject({ done: 5, errored: 4 });
    expect(created[0].metrics.choice).toMatchObject({ value: 1, n: 1 });
  });

  it("resolve attachment:// references in input, transcript and output, and report one that is missing", async () => {
    const attachments = { a1b2: "A long question text.", c3: "A long answer." };
    const file = jsonLog(header(), [
      sample(1, {
        input: "attachment://a1b2",
        messages: [{ role: "user", content: [{ type: "text", text: "attachment://a1b2" }] }, { role: "assistant", content: "attachment://c3" }],
        output: { completion: "attachment://c3" },
        target: "attachment://c3 is not a reference",
        attachments,
      }),
      sample(2, { input: "attachment://gone", attachments }),
      sample(3, { input: "see attachment://a1b2", messages: [{ role: "user", content: "attachment://c3 and more" }], attachments }),
    ]);
    await expect(recordsOf(file)).rejects.toThrow(/^log\.json entry samples\[1\]: log\.json, entry samples\[1\]: refers to attachment:\/\/gone, which the sample's attachments do not hold; the log is incomplete; fix the source/);
    const { runs, skipped } = await planImport([file], { skipBadRows: true });
    const [first, third] = runs[0].records;
    expect(first).toMatchObject({ prompt: "A long question text.", response: "A long answer.", target: "attachment://c3 is not a reference" });
    expect(first.transcript).toEqual([{ role: "user", content: [{ type: "text", text: "A long question text." }] }, { role: "assistant", content: "A long answer." }]);
    expect(first.instance_hash).toBe(instanceHash({ input: "A long question text.", choices: undefined }, "attachment://c3 is not a reference"));
    expect(third.prompt).toBe("see attachment://a1b2");
    expect(third.transcript).toEqual([{ role: "user", content: "attachment://c3 and more" }]);
    expect(skipped).toEqual([{ file: "log.json", where: "entry samples[1]", reason: expect.stringContaining("attachment://gone") }]);
  });

  it("fill in what a sample leaves out: epoch 1, no subtask, no transcript, no usage, no time", async () => {
    const bare = { id: "only", input: "Q?", target: ["A", "C"], scores: { choice: { value: "C" } }, messages: "not a list", output: { completion: "A" } };
    const [record] = await recordsOf(jsonLog(header(), [bare]));
    expect(record).toMatchObject({ sample: 0, subtask: null, transcript: null, input_tokens: null, output_tokens: null, latency_ms: null, target: '["A","C"]', extracted: null });
    // no target, and no score from the primary scorer
    const [untargeted] = await recordsOf(jsonLog(header(), [{ id: 2, input: "Q?", scores: { other: { value: "C" } } }]));
    expect(untargeted).toMatchObject({ target: null, score: null, scores: { other: 1 } });
    expect(untargeted.instance_hash).toBe(instanceHash({ input: "Q?", choices: undefined }, null));
  });

  it("refuse a sample that is not an object or has no id, as a bad row, rather than importing a question called undefined", async () => {
    const file = jsonLog(header(), [sample(1), 7 as unknown as Json, { ...sample(3), id: undefined }, { ...sample(4), id: { n: 4 } }]);
    await expect(recordsOf(file)).rejects.toThrow(/^log\.json entry samples\[1\]: log\.json, entry samples\[1\]: is not a JSON object; fix the source/);
    // detection and reading leave no file open
    const openFiles = () => fs.readdirSync("/proc/self/fd").length;
    const before = openFiles();
    await planImport([file], { skipBadRows: true });
    await planImport([fixture("zstd.eval")]);
    await expect(planImport([fixture("zstd-corrupt-entry.eval")])).rejects.toThrow();
    expect(openFiles()).toBe(before);
    const { runs, skipped } = await planImport([file], { skipBadRows: true });
    expect(runs[0].records.map((r) => r.instance_id)).toEqual(["1"]);
    expect(skipped.map((s) => s.reason)).toEqual([
      "log.json, entry samples[1]: is not a JSON object",
      "log.json, entry samples[2]: the sample has no id (a string or a number); the log is damaged",
      "log.json, entry samples[3]: the sample has no id (a string or a number); the log is damaged",
    ]);
  });

  it("take the subtask from metadata subject, subtask or category, in that order", async () => {
    const file = jsonLog(header(), [
      sample(1, { metadata: { subject: "s", subtask: "t", category: "c" } }),
      sample(2, { metadata: { subtask: "t", category: "c" } }),
      sample(3, { metadata: { category: "c" } }),
      sample(4, { metadata: { subject: 7 } }),
      sample(5, { metadata: null }),
    ]);
    expect((await recordsOf(file)).map((r) => r.subtask)).toEqual(["s", "t", "c", null, null]);
  });

  it("sort samples by id, numbers in numeric order, epochs within a question", async () => {
    const file = jsonLog(header(), [sample("10"), sample("2", { epoch: 2 }), sample("2", { epoch: 1 }), sample("1", { epoch: 3 }), ...[4, 2, 3].map((epoch) => sample("5", { epoch }))]);
    expect((await recordsOf(file)).map((r) => [r.instance_id, r.sample])).toEqual([["1", 2], ["2", 0], ["2", 1], ["5", 1], ["5", 2], ["5", 3], ["10", 0]]);
  });
});

describe("what an Inspect log's header gives the run", () => {
  it("model and provider, task name, harness config, tool version, seed and the reported accuracy", async () => {
    const head = header({ model: "hf/org/tiny-lm", config: { seed: 11, epochs: 1 }, model_generate_config: { temperature: 0 }, model_args: { device: "cpu" }, revision: { commit: "abc" } });
    const { runs } = await planImport([jsonLog(head, [sample(1), sample(2, { scores: { choice: { value: "I" } } })])]);
    const { run, reported } = runs[0];
    expect(run.model).toMatchObject({ name: "org/tiny-lm", provider: "hf" });
    expect(run.task).toMatchObject({ name: "quiz", variant: null });
    expect(run.task.config).toEqual({ task_version: 1, task_args: {}, dataset: { name: "quiz", location: "quiz.jsonl", samples: 3 }, scorers: null, plan: { steps: [{ solver: "generate" }] } });
    expect(run.harness).toEqual({ name: "inspect_ai", config: { model_generate_config: { temperature: 0 }, config: { seed: 11, epochs: 1 }, model_args: { device: "cpu" }, revision: { commit: "abc" } } });
    expect(run.source).toEqual({ kind: "import", tool: "inspect_ai 0.3.130", path: "log.json" });
    expect(run).toMatchObject({ primary_metric: "choice", seed: 11, notes: null, tags: ["import", "inspect"] });
    expect(run.metrics).toEqual({ choice: { value: null, se: null, ci: null, n: 0, higher_is_better: true } });
    expect(reported).toEqual({ choice: 0.5 });
  });

  it("a model without a provider, no version recorded, a seed from the generate config, a status that is not success", async () => {
    const head = header({ model: "local-model", packages: undefined, config: { seed: -1 }, model_generate_config: { seed: 5 } }, { status: "error", results: undefined });
    const { run, reported } = (await planImport([jsonLog(head, [sample(1)])])).runs[0];
    expect(run.model).toMatchObject({ name: "local-model", provider: null });
    expect(run.source.tool).toBe("inspect_ai version not recorded");
    expect(run.seed).toBe(5);
    expect(run.harness.config).toEqual({ model_generate_config: { seed: 5 }, config: { seed: -1 }, model_args: {}, revision: null });
    expect(run.task.config).toMatchObject({ task_version: 1, scorers: null });
    expect(run.notes).toBe("The Inspect log's status is error: it may hold fewer samples than the task planned.");
    expect(reported).toEqual({});
    // with no results, the first sample's first scorer is the primary metric
    expect(run.primary_metric).toBe("choice");
    const unseeded = (await planImport([jsonLog(header({ config: { seed: -3 }, model_generate_config: { seed: "9" } }), [sample(1)])])).runs[0].run;
    expect(unseeded.seed).toBe(0);
  });

  it("reports each scorer's accuracy, or its mean, and takes the primary metric from the results' first scorer", async () => {
    const results = { scores: [{ name: "judge", metrics: { mean: { value: 0.7 } } }, { name: "choice", metrics: { accuracy: { value: 1 }, mean: { value: 0.2 } } }, { name: "other", metrics: { stderr: { value: 0.1 } } }] };
    const { run, reported } = (await planImport([jsonLog(header({}, { results }), [sample(1, { scores: { choice: { value: "C" }, judge: { value: 0.7, answer: "ok" } } })])])).runs[0];
    expect(reported).toStrictEqual({ judge: 0.7, choice: 1 });
    expect(run.primary_metric).toBe("judge");
    expect((await recordsOf(jsonLog(header({}, { results }), [sample(1, { scores: { choice: { value: "C" }, judge: { value: 0.7, answer: "ok" } } })])))[0]).toMatchObject({ score: 0.7, extracted: "ok" });
  });

  it("names the primary metric score when no results and no sample name a scorer", async () => {
    const { run } = (await planImport([jsonLog(header({}, { results: { scores: "none" } }), [sample(1, { scores: null })])])).runs[0];
    expect(run.primary_metric).toBe("score");
    expect(run.metrics).toEqual({});
  });

  it("hashes the task by its scoring config, not by which samples ran", async () => {
    const hash = async (extra: Json) => (await planImport([jsonLog(header(extra), [sample(1)])])).runs[0].run.task.hash;
    const base = await hash({});
    const plan = { steps: [{ solver: "generate" }] };
    expect(base).toBe(contentHash({ tool: "inspect", task: "inspect_evals/quiz", task_version: 1, task_args: {}, dataset: { name: "quiz", location: "quiz.jsonl" }, scorers: null, plan }));
    expect(await hash({ dataset: undefined })).toBe(contentHash({ tool: "inspect", task: "inspect_evals/quiz", task_version: 1, task_args: {}, dataset: { name: null, location: null }, scorers: null, plan }));
    expect(await hash({ dataset: { name: "quiz", location: "quiz.jsonl", samples: 99, sample_ids: [1] } })).toBe(base);
    expect(await hash({ dataset: { name: "quiz", location: "other.jsonl" } })).not.toBe(base);
    expect(await hash({ dataset: { name: "quiz2", location: "quiz.jsonl" } })).not.toBe(base);
    expect(await hash({ task_version: 2 })).not.toBe(base);
    expect(await hash({ task_args: { shots: 5 } })).not.toBe(base);
    expect(await hash({ scorers: [{ name: "choice" }] })).not.toBe(base);
    expect(await hash({ task: "other_evals/quiz" })).not.toBe(base);
  });

  it("gives a log's run an id from its content: another sample, another run", async () => {
    const id = async (samples: Json[]) => (await planImport([jsonLog(header(), samples)])).runs[0].run.run_id;
    const first = await id([sample(1)]);
    expect(first).toMatch(/^import-inspect-gpt-4o-quiz-[0-9a-f]{10}$/);
    expect(await id([sample(1)])).toBe(first);
    expect(await id([sample(1, { output: { completion: "ANSWER: C" } })])).not.toBe(first);
  });

  it("refuses a log without eval.task and eval.model, and one without samples, naming the file", async () => {
    await expect(planImport([jsonLog(header({ model: undefined }), [sample(1)])])).rejects.toThrow(/^log\.json: the log header has no eval\.task and eval\.model; it is not an Inspect log this importer reads$/);
    await expect(planImport([jsonLog(header({ task: 3 }), [sample(1)])])).rejects.toThrow(/no eval\.task and eval\.model/);
    await expect(planImport([jsonLog({ ...header(), eval: "x" }, [sample(1)])])).rejects.toThrow(/no eval\.task and eval\.model/);
    await expect(planImport([jsonLog(header(), [])])).rejects.toThrow(/^log\.json holds no samples; Inspect writes them unless the eval ran with --no-log-samples$/);
    const noList = path.join(tempWorkspace(), "nolist.json");
    fs.writeFileSync(noList, JSON.stringify({ ...header(), samples: "many" }));
    await expect(planImport([noList])).rejects.toThrow(/^nolist\.json holds no samples/);
  });

  it("names the file when a .json log is not valid JSON", async () => {
    const file = path.join(tempWorkspace(), "cut.json");
    fs.writeFileSync(file, JSON.stringify({ ...header(), samples: [sample(1)] }).slice(0, 200));
    await expect(planImport([file])).rejects.toThrow(/^cut\.json is not valid JSON \(it ends early/);
  });
});

describe("Inspect .eval archives (deflate entries)", () => {
  it("read header.json and every samples/*.json entry, and nothing else", async () => {
    const file = evalLog({
      "header.json": header(),
      "samples/1_epoch_1.json": sample(1),
      "samples/2_epoch_1.json": sample(2, { scores: { choice: { value: "I", answer: "C" } } }),
      "summaries.json": "[]",
      "_journal/summaries/1.json": "[]",
      "samples/notes.txt": "not a sample",
      "reductions.json": "[]",
      "old/samples/9_epoch_1.json": sample(9),
      "samples/8_epoch_1.json.bak": sample(8),
    });
    const { runs } = await planImport([file]);
    expect(runs[0].records.map((r) => [r.instance_id, r.score, r.extracted])).toEqual([["1", 1, "B"], ["2", 0, "C"]]);
    expect(runs[0].run.source.path).toBe("log.eval");
  });

  it("read a log still being written from its journal's start record", async () => {
    const file = evalLog({ "_journal/start.json": header({}, { status: "started", results: undefined }), "samples/1_epoch_1.json": sample(1) });
    const { run } = (await planImport([file])).runs[0];
    expect(run.notes).toMatch(/^The Inspect log's status is started/);
    // header.json wins over the start record when both are there
    const both = evalLog({ "_journal/start.json": header({ task: "early" }), "header.json": header(), "samples/1_epoch_1.json": sample(1) });
    expect((await planImport([both])).runs[0].run.task.name).toBe("quiz");
  });

  it("refuse an archive with neither header nor start record, and entries that are not JSON objects, naming the entry", async () => {
    await expect(planImport([evalLog({ "samples/1_epoch_1.json": sample(1) }, "bare.eval")])).rejects.toThrow(
      /^bare\.eval has neither header\.json nor _journal\/start\.json: it is not an Inspect log$/,
    );
    await expect(planImport([evalLog({ "header.json": "[1, 2]", "samples/1_epoch_1.json": sample(1) })])).rejects.toThrow(/^log\.eval, entry header\.json: is not a JSON object$/);
    const badSample = evalLog({ "header.json": header(), "samples/1_epoch_1.json": sample(1), "samples/2_epoch_1.json": "[]", "samples/3_epoch_1.json": "{" });
    await expect(planImport([badSample])).rejects.toThrow(/^log\.eval entry samples\/2_epoch_1\.json: log\.eval, entry samples\/2_epoch_1\.json: is not a JSON object; fix the source/);
    const { runs, skipped } = await planImport([badSample], { skipBadRows: true });
    expect(runs[0].records.map((r) => r.instance_id)).toEqual(["1"]);
    expect(skipped.map((s) => [s.where, s.reason])).toEqual([
      ["entry samples/2_epoch_1.json", "log.eval, entry samples/2_epoch_1.json: is not a JSON object"],
      ["entry samples/3_epoch_1.json", expect.stringMatching(/^log\.eval, entry samples\/3_epoch_1\.json is not valid JSON/)],
    ]);
  });
});
