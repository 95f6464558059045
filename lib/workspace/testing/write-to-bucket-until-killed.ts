// Child process for the S3 kill test: closes many journal batches at once, then kills itself with
// SIGKILL as soon as the first has reached the bucket, while the others wait or are in flight.
import { S3RunSync } from "../s3/run-sync";
import { runPrefix } from "../s3/run-objects";
import { RunWriter } from "../run-writer";
import { newRun, record } from "./fixtures";

const [workspace, runId, records, batchSize] = process.argv.slice(2);
const sync = new S3RunSync(workspace, runId);
await sync.pull();
const writer = RunWriter.create(sync.local, newRun({ run_id: runId }), { batchSize: Number(batchSize), onJournal: sync.onJournal });
await sync.claim();
for (let i = 0; i < Number(records); i++) writer.append(record(i, { response: "x".repeat(1000) }));
// the uploads start once this loop gives the event loop a turn
while (!(await sync.objects.list(runPrefix(runId))).some((object) => object.key.includes(".ndjson.d/"))) await new Promise((resolve) => setTimeout(resolve, 2));
process.kill(process.pid, "SIGKILL");
