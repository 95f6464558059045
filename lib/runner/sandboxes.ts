import os from "node:os";
import { combineNeeds } from "@/lib/sandbox/capabilities";
import { BwrapExecutor } from "@/lib/sandbox/executors/bwrap";
import { ContainerExecutor } from "@/lib/sandbox/executors/docker";
import { planPools, type PoolPlan, type SandboxDemand } from "@/lib/sandbox/planner";
import { describeNeeds } from "@/lib/sandbox/router";
import type { Executor } from "@/lib/sandbox/types";
import type { HarnessConfig } from "./harness";
import type { TaskPlan } from "./plan";
import { testNeeds } from "./scorers/code-tests";
import { getTool } from "./tools/registry";

/**
 * The executors a harness offers, in its order of preference, with its limits; their code reaches
 * `network`, and bwrap also offers the named `environments` (host folders).
 */
export function offeredExecutors(sandbox: HarnessConfig["sandbox"], { network = "none", environments = {} }: { network?: "none" | "internet"; environments?: Record<string, string> } = {}): Executor[] {
  const limits = { timeout_ms: sandbox.timeout_ms, memory_mb: sandbox.memory_mb, processes: sandbox.processes, disk_mb: sandbox.disk_mb };
  return sandbox.executors.map((name) => (name === "bwrap" ? new BwrapExecutor({ limits, network, environments }) : new ContainerExecutor({ engine: name, image: sandbox.image, limits, network })));
}

/** What each task of the run will ask of sandboxes: its code tests, and the tools of an agent harness. */
export function sandboxDemands(plans: readonly TaskPlan[], harness: HarnessConfig): SandboxDemand[] {
  const toolNeeds = harness.scaffold === "agent" ? harness.tools.flatMap((name) => getTool(name).needs ?? []) : [];
  return plans.flatMap((plan) => {
    const demands: SandboxDemand[] = [];
    if (plan.task.definition.testProgram) demands.push({ by: `${plan.task.spec} (tests)`, needs: testNeeds(plan.task.definition), requests: plan.planned });
    if (toolNeeds.length > 0) demands.push({ by: `${plan.task.spec} (tools ${harness.tools.join(", ")})`, needs: combineNeeds(toolNeeds), requests: plan.planned });
    return demands;
  });
}

/**
 * Plans sandbox pools only when some task or tool needs one (a run that only asks questions gets
 * none), sized from the run's demand; a need no offered executor meets is an error here.
 */
export function planRunSandboxes(plans: readonly TaskPlan[], harness: HarnessConfig): PoolPlan[] {
  const demands = sandboxDemands(plans, harness);
  return demands.length === 0 ? [] : planPools(demands, offeredExecutors(harness.sandbox), harness.concurrency);
}

/**
 * The sandbox plan as `--dry-run` shows it: each pool (its size and why, what its executor offers,
 * whether it works on this host) and what each task asks of which pool. Nothing is started.
 */
export async function describeSandboxPlan(plans: readonly TaskPlan[], harness: HarnessConfig, pools: readonly PoolPlan[], cores = os.cpus().length): Promise<string[]> {
  if (pools.length === 0) return ["sandboxes: none (no task or tool of this run runs code)"];
  const { sandbox } = harness;
  const lines = [`sandboxes (offered in this order: ${sandbox.executors.join(", ")}; each execution at most ${sandbox.timeout_ms} ms, ${sandbox.memory_mb} MB, ${sandbox.processes} processes, ${sandbox.disk_mb} MB of disk):`];
  for (const pool of pools) {
    const { name, capabilities: c } = pool.executor;
    const unavailable = await pool.executor.unavailable();
    lines.push(`  ${name}: pool of ${pool.size} (the least of concurrency ${harness.concurrency}, ${pool.requests} requests, 2 x ${cores} cores); ${unavailable === null ? "works on this host" : `UNAVAILABLE on this host: ${unavailable}`}`);
    lines.push(`    offers: ${c.isolated ? "isolation" : "no isolation"}, ${c.python ? "python" : "no python"}, ${c.shell ? "shell" : "no shell"}, network ${c.network}, environments ${c.environments.join(", ") || "none"}`);
    for (const limitation of c.limitations) lines.push(`    limitation: ${limitation}`);
  }
  for (const demand of sandboxDemands(plans, harness)) {
    const pool = pools.find((p) => p.serves.includes(demand.by));
    lines.push(`  ${demand.by}: ${demand.requests} requests needing ${describeNeeds(demand.needs)} -> ${pool?.executor.name}`);
  }
  return lines;
}
