// Child process for the bucket's concurrent-writers test: writes COUNT runs into the bucket
// workspace (every fifth fails), each a machine's S3RunSync, then prints "done".
import { writeBucketRun } from "./bucket-run";

const [workspace, prefix, count] = process.argv.slice(2);
for (let i = 0; i < Number(count); i++) await writeBucketRun(workspace, `${prefix}-${i}`, { step: i, fail: i % 5 === 4 });
process.stdout.write("done\n");
