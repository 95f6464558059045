import type { Progress } from "@/lib/runner/execute";
import type { RunStatus } from "@/lib/schema";

/**
 * What `evalbench run` tells the server that launched it, over the IPC channel the server opened:
 * progress goes to the browser from these, never from parsing log lines.
 */
export type LaunchMessage =
  | { type: "start"; runId: string; spec: string }
  | { type: "progress"; runId: string; progress: Progress }
  | { type: "done"; runId: string; status: RunStatus };
