import { combineNeeds } from "@/lib/sandbox/capabilities";
import { BwrapExecutor } from "@/lib/sandbox/executors/bwrap";
import { ContainerExecutor } from "@/lib/sandbox/executors/docker";
import { planPools, type PoolPlan, type SandboxDemand } from "@/lib/sandbox/planner";
import type { Executor } from "@/lib/sandbox/types";
import type { HarnessConfig } from "./harness";
import type { TaskPlan } from "./plan";
import { testNeeds } from "./scorers/code-tests";
import { getTool } from "./tools/registry";

/** The executors a harness offers, in its order of preference, with its limits; their code reaches `network`. */
export function offeredExecutors(sandbox: HarnessConfig["sandbox"], network: "none" | "internet" = "none"): Executor[] {
  const limits = { timeout_ms: sandbox.timeout_ms, memory_mb: sandbox.memory_mb, processes: sandbox.processes };
  return sandbox.executors.map((name) => (name === "bwrap" ? new BwrapExecutor({ limits, network }) : new ContainerExecutor({ engine: name, image: sandbox.image, limits, network })));
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
