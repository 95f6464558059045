import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { readRunRecords } from "./run-records";
import { runExternalEval } from "./external-eval";

const WRITE_RESULTS = `
import json, os, sys
with open(os.path.join(sys.argv[1], "results.jsonl"), "w") as f:
    for i in range(5):
        f.write(json.dumps({"id": f"q{i}", "passed": i % 2, "completion": f"answer {i}"}) + "\\n")
print("done")
`;

describe("ExternalEval: another benchmark's own command, its output mapped into the schema", () => {
  it("runs the command, imports what it wrote as a run beside native runs", async () => {
    const ws = tempWorkspace();
    const result = await runExternalEval(ws, { command: ["python3", "-c", WRITE_RESULTS, "{output}"], format: "table" }, { modelName: "m", task: "my_bench", table: { id: "id", score: "passed", response: "completion" } });
    expect(result.created).toHaveLength(1);
    const [manifest] = result.created;
    expect(manifest).toMatchObject({ status: "complete", task: { name: "my_bench" }, model: { name: "m" }, counts: { done: 5 } });
    const records = readRunRecords(ws, manifest.run_id);
    expect(records.map((r) => r.score).sort()).toEqual([0, 0, 0, 1, 1]);
  });

  it("a failing command is an error with the end of its output; nothing is imported", async () => {
    const ws = tempWorkspace();
    await expect(runExternalEval(ws, { command: ["python3", "-c", "import sys; print('broken config', file=sys.stderr); sys.exit(3)"], format: "table" })).rejects.toThrow(/failed \(exit 3\); nothing was imported. Its output ends:\nbroken config/);
    await expect(runExternalEval(ws, { command: ["no-such-benchmark-cli"], format: "lm-eval" })).rejects.toThrow(/cannot start no-such-benchmark-cli: ENOENT/);
  });
});
