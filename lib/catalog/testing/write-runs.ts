// Child process for the concurrent-writers test: writes COUNT runs (running, then complete or
// failed, each a state change the catalog indexes) as fast as it can, then prints "done".
import { RunWriter } from "@/lib/workspace/run-writer";
import { newRun, record } from "@/lib/workspace/testing/fixtures";

const [workspace, prefix, count] = process.argv.slice(2);
for (let i = 0; i < Number(count); i++) {
  const writer = RunWriter.create(workspace, newRun({ run_id: `${prefix}-${i}`, model: { name: prefix, checkpoint: `step${i}`, step: i } }));
  writer.append(record(i));
  if (i % 5 === 4) writer.end("failed", "stopped by the test");
  else writer.finalize();
}
process.stdout.write("done\n");
