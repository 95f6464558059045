import path from "node:path";
import type { TaskPlan } from "@/lib/runner/plan";
import { FAULT_KINDS, type FaultKind } from "@/lib/sim/faults";
import { localWorkspace } from "@/lib/workspace/s3/local";
import type { SimCheckpoint } from "@/lib/sim/server";
import { resolveWorkspace } from "@/lib/workspace/paths";
import { positiveInt, WORKSPACE_HELP, type Register } from "./options";
import { print } from "../output";

const collect = (value: string, previous: string[]) => [...previous, value];

/** `name=accuracy`, e.g. olmo-1b-step10000=0.45 */
function checkpoint(spec: string): SimCheckpoint {
  const [name, accuracy] = spec.split("=");
  const value = Number(accuracy);
  if (!name || !(value >= 0 && value <= 1)) throw new Error(`--checkpoint ${spec} is not NAME=ACCURACY with an accuracy from 0 to 1`);
  return { name, accuracy: value };
}

function rate(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new Error(`expected a rate from 0 to 1, got ${value}`);
  return n;
}

/** `evalbench sim` */
export const registerSim: Register = (program) => {
  program
    .command("sim")
    .description("serve simulated checkpoints on loopback as an OpenAI-compatible endpoint, for tests, benchmarks and demos")
    .option("--port <n>", "port on 127.0.0.1 (default: a free one)", positiveInt)
    .option("--checkpoint <name=accuracy>", "a served checkpoint and its accuracy; repeatable (default: sim-small=0.3 sim-medium=0.5 sim-large=0.7)", collect, [])
    .option("-t, --task <spec>", "task or suite whose questions the checkpoints know; repeatable", collect, [])
    .option("--data <path>", "local data for the task (as in run); TASK=PATH with several", collect, [])
    .option("--limit <n>", "questions per task (per subtask)", positiveInt)
    .option("-o, --override <key=value>", "task override, as in run; repeatable", collect, [])
    .option("--fault-rate <r>", "share of requests that fail (0-1)", rate, 0)
    .option("--faults <kinds>", `comma-separated fault kinds: ${FAULT_KINDS.join(",")}`, FAULT_KINDS.join(","))
    .option("--latency-ms <n>", "added latency per answer", Number, 0)
    .option("--context-length <n>", "tokens per request before it is refused for length", positiveInt, 8192)
    .option("--seed <n>", "seed of the per-question draws", positiveInt, 2024)
    .option("-w, --workspace <dir>", WORKSPACE_HELP)
    .action(async (options: { port?: number; checkpoint: string[]; task: string[]; data: string[]; limit?: number; override: string[]; faultRate: number; faults: string; latencyMs: number; contextLength: number; seed: number; workspace?: string }) => {
      const kinds = options.faults.split(",").filter(Boolean) as FaultKind[];
      const unknown = kinds.filter((k) => !FAULT_KINDS.includes(k));
      if (unknown.length) throw new Error(`unknown fault kind ${unknown.join(", ")}; use ${FAULT_KINDS.join(", ")}`);
      const [{ HARNESS_PRESETS }, { planTask }, { resolveTask, taskNames }, { expandSpecs }, , { simQuestions }, { startSim }] = await Promise.all([
        import("@/lib/runner/harness"),
        import("@/lib/runner/plan"),
        import("@/lib/runner/registry"),
        import("@/lib/runner/suites"),
        import("@/lib/runner/tasks"),
        import("@/lib/sim/from-plan"),
        import("@/lib/sim/server"),
      ]);
      const data = Object.fromEntries(options.data.map((v) => (/^[a-z]\w*=/.test(v) ? [v.slice(0, v.indexOf("=")), v.slice(v.indexOf("=") + 1)] : ["*", v])));
      const plans: TaskPlan[] = [];
      for (const { spec } of expandSpecs(options.task, taskNames())) {
        const task = resolveTask(spec, options.override);
        const cacheDir = path.join(localWorkspace(resolveWorkspace(options.workspace)), "cache");
        plans.push(await planTask(task, HARNESS_PRESETS.default, { data: data[task.name] ?? data["*"] ?? null, cacheDir, limit: options.limit ?? null }));
      }
      const checkpoints = options.checkpoint.length > 0 ? options.checkpoint.map(checkpoint) : [checkpoint("sim-small=0.3"), checkpoint("sim-medium=0.5"), checkpoint("sim-large=0.7")];
      const questions = simQuestions(plans);
      const sim = await startSim({ checkpoints, questions, seed: options.seed, faultRate: options.faultRate, faultKinds: kinds, latencyMs: options.latencyMs, contextLength: options.contextLength, port: options.port });
      print(`evalbench sim listening on ${sim.url}: ${checkpoints.map((c) => `${c.name} (${c.accuracy})`).join(", ")}; knows ${questions.length} questions; faults ${options.faultRate > 0 ? `${options.faultRate} (${kinds.join(", ")})` : "off"}`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await sim.close();
    });
};
