import { unmetNeeds, type Needs } from "./capabilities";
import type { Lease, SandboxPool } from "./pool";

/** No offered executor can serve a request: says what each one lacks and what to do. */
export class NoSandboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoSandboxError";
  }
}

/**
 * Sends each request to a pool whose executor has what the request needs, in the harness's order
 * of preference. Untrusted code never goes to an executor that does not isolate.
 */
export class SandboxRouter {
  constructor(readonly pools: readonly SandboxPool[]) {}

  /** The pool that will serve `needs`, or NoSandboxError naming why each executor cannot. */
  route(needs: Needs): SandboxPool {
    const reasons: string[] = [];
    for (const pool of this.pools) {
      const unmet = unmetNeeds(needs, pool.executor.capabilities);
      if (unmet.length === 0) return pool;
      reasons.push(`${pool.executor.name}: ${unmet.join(", ")}`);
    }
    const offered = reasons.length > 0 ? `the harness offers ${reasons.join("; ")}` : "the harness offers no sandbox executor";
    throw new NoSandboxError(`no sandbox can run this code (needs ${describeNeeds(needs)}): ${offered}; offer one that can with -o 'harness.sandbox.executors=["bwrap"]'`);
  }

  acquire(needs: Needs, signal?: AbortSignal): Promise<Lease> {
    return this.route(needs).acquire(signal);
  }

  close(): Promise<void> {
    return Promise.all(this.pools.map((p) => p.close())).then(() => undefined);
  }
}

export function describeNeeds(needs: Needs): string {
  const parts = [needs.untrusted ? "isolation" : null, needs.python ? "python" : null, needs.shell ? "shell" : null, needs.network === "none" ? "no network" : "internet", needs.environment ? `environment ${needs.environment}` : null];
  return parts.filter(Boolean).join(", ");
}
