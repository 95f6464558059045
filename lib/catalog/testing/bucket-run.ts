import { RunWriter } from "@/lib/workspace/run-writer";
import { S3RunSync } from "@/lib/workspace/s3/run-sync";
import { newRun, record } from "@/lib/workspace/testing/fixtures";

/**
 * Writes one run into a bucket workspace as `evalbench run` does (S3RunSync around a RunWriter in
 * the local mirror): started, three records, then complete or failed.
 */
export async function writeBucketRun(workspace: string, runId: string, options: { step?: number; fail?: boolean } = {}): Promise<void> {
  const sync = new S3RunSync(workspace, runId);
  await sync.pull();
  const step = options.step ?? 1;
  const writer = RunWriter.create(sync.local, newRun({ run_id: runId, model: { name: "tiny", checkpoint: `step${step}`, step } }), { onJournal: sync.onJournal });
  await sync.claim();
  for (let i = 0; i < 3; i++) writer.append(record(i));
  await sync.finish(options.fail ? writer.end("failed", "stopped by the test") : writer.finalize());
}
