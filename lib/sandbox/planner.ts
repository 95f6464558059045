import os from "node:os";
import { unmetNeeds, type Needs } from "./capabilities";
import { SandboxPool } from "./pool";
import { NoSandboxError, SandboxRouter, describeNeeds } from "./router";
import type { Executor } from "./types";

/** Sandboxed work one task of the run will ask for. */
export interface SandboxDemand {
  /** Who asks, for messages: the task spec. */
  by: string;
  needs: Needs;
  /** Questions x samples that will need a sandbox. */
  requests: number;
}

export interface PoolPlan {
  executor: Executor;
  size: number;
  /** Requests of the run it will serve. */
  requests: number;
  /** Which demands it serves. */
  serves: string[];
}

/**
 * Sizes one pool per executor that some demand routes to: as many slots as requests may run at
 * once (the harness's concurrency), never more than requests, never more than the host's cores
 * can keep busy (two per core: executions wait on I/O and process start-up).
 */
export function planPools(demands: readonly SandboxDemand[], offered: readonly Executor[], concurrency: number, cores = os.cpus().length): PoolPlan[] {
  const plans = new Map<Executor, PoolPlan>();
  for (const demand of demands) {
    const executor = offered.find((e) => unmetNeeds(demand.needs, e.capabilities).length === 0);
    if (!executor) {
      const why = offered.map((e) => `${e.name}: ${unmetNeeds(demand.needs, e.capabilities).join(", ")}`).join("; ") || "none is offered";
      throw new NoSandboxError(`${demand.by} needs a sandbox with ${describeNeeds(demand.needs)}, and no offered executor has it (${why}); offer one with -o 'harness.sandbox.executors=["bwrap"]'`);
    }
    const plan = plans.get(executor) ?? { executor, size: 0, serves: [] as string[], requests: 0 };
    plan.requests += demand.requests;
    plan.serves.push(demand.by);
    plans.set(executor, plan);
  }
  return [...plans.values()].map(({ executor, requests, serves }) => ({ executor, serves, requests, size: Math.max(1, Math.min(concurrency, requests, cores * 2)) }));
}

/**
 * Checks every planned executor works on this host (before any request is sent) and opens its
 * warm pool. A missing or broken executor is an error naming what is missing.
 */
export async function openSandboxes(plans: readonly PoolPlan[]): Promise<SandboxRouter> {
  for (const plan of plans) {
    const reason = await plan.executor.unavailable();
    if (reason !== null) throw new NoSandboxError(`sandbox ${plan.executor.name} (for ${plan.serves.join(", ")}) is unavailable: ${reason}`);
  }
  return new SandboxRouter(plans.map((p) => new SandboxPool(p.executor, p.size)));
}
