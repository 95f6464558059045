import { BwrapExecutor } from "./executors/bwrap";

/**
 * Whether the bubblewrap sandbox works here; when it does not, tests that need it skip with the
 * reason, unless EVALBENCH_REQUIRE_SANDBOX=1 (CI) makes its absence a failure.
 */
export async function bwrapOrSkip(): Promise<{ executor: BwrapExecutor; skip: string | null }> {
  const executor = new BwrapExecutor();
  const reason = await executor.unavailable();
  if (reason !== null && process.env.EVALBENCH_REQUIRE_SANDBOX === "1") throw new Error(`EVALBENCH_REQUIRE_SANDBOX=1 but the sandbox is unavailable: ${reason}`);
  if (reason !== null) console.warn(`skipping sandbox tests: ${reason}`);
  return { executor, skip: reason };
}
