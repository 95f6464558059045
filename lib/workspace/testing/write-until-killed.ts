// Child process for the kill -9 test: writes records forever, reporting each flushed total.
import { RunWriter } from "../run-writer";
import { newRun, record } from "./fixtures";

const [workspace, runId] = process.argv.slice(2);
const writer = RunWriter.create(workspace, newRun({ run_id: runId }), { batchSize: 50 });
let i = 0;
for (;;) {
  writer.append(record(i++, { response: "x".repeat(1000) }));
  if (i % 50 === 0) process.stdout.write(`${i}\n`);
}
