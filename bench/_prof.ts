import { listRuns } from "@/lib/catalog/list";
import { questionsOnDisk, seriesReportOnDisk, trajectoriesOnDisk } from "@/lib/series/on-disk";
const ws = "/tmp/ws-prof";
let t = performance.now();
const entries = await listRuns(ws);
console.log("listRuns", Math.round(performance.now() - t));
t = performance.now();
const q = questionsOnDisk(ws, entries, "exact_match");
await Promise.all(entries.map((e) => q(e.run_id)));
console.log("load questions", Math.round(performance.now() - t));
for (let i = 0; i < 3; i++) {
  t = performance.now();
  const r = await seriesReportOnDisk(ws, { lines: ["bench-base", "bench-newmix"], task: "task0" });
  console.log("series (runs cached)", Math.round(performance.now() - t), r.flips.length);
  t = performance.now();
  await trajectoriesOnDisk(ws, { lines: ["bench-base", "bench-newmix"], task: "task0" }, 0);
  console.log("trajectories (cached)", Math.round(performance.now() - t));
}
