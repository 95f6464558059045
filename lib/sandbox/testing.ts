import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { BwrapExecutor } from "./executors/bwrap";

/** What a sandbox test needs is missing: skip with the reason, unless EVALBENCH_REQUIRE_SANDBOX=1 (CI) makes it a failure. */
function skipOrFail(what: string, reason: string | null): string | null {
  if (reason !== null && process.env.EVALBENCH_REQUIRE_SANDBOX === "1") throw new Error(`EVALBENCH_REQUIRE_SANDBOX=1 but ${what} is unavailable: ${reason}`);
  if (reason !== null) console.warn(`skipping ${what} tests: ${reason}`);
  return reason;
}

/** Whether the bubblewrap sandbox works here; when it does not, tests that need it skip with the reason. */
export async function bwrapOrSkip(): Promise<{ executor: BwrapExecutor; skip: string | null }> {
  const executor = new BwrapExecutor();
  return { executor, skip: skipOrFail("the sandbox", await executor.unavailable()) };
}

const PODMAN_IMAGE_SCRIPT = fileURLToPath(new URL("../../scripts/podman-image.sh", import.meta.url));

/**
 * The podman image the container tests run in (python3 on Debian, built once without a registry
 * by scripts/podman-image.sh), with CONTAINERS_CONF set for the podman processes the tests start;
 * when podman is missing, tests that need it skip with the reason.
 */
export async function podmanImageOrSkip(): Promise<{ image: string; skip: string | null }> {
  try {
    const { stdout } = await promisify(execFile)("bash", [PODMAN_IMAGE_SCRIPT], { timeout: 15 * 60_000 });
    const [image, conf] = stdout.trim().split("\n");
    process.env.CONTAINERS_CONF = conf;
    return { image, skip: null };
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    const reason = `${PODMAN_IMAGE_SCRIPT}: ${(e.stderr || e.message).trim()}`;
    return { image: "", skip: skipOrFail("podman", reason) };
  }
}
