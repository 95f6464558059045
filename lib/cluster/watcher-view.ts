// Browser-safe: what the launch page shows of a watcher started from it.

export type WatcherState = "watching" | "stopping" | "stopped" | "failed";

export interface WatcherView {
  id: string;
  folder: string;
  pattern: string;
  readyFile: string | null;
  tasks: string[];
  harness: string;
  /** The preset's serve command it runs each checkpoint's server with. */
  serve: string;
  executor: "local" | "slurm";
  state: WatcherState;
  createdAt: string;
  endedAt: string | null;
  /** Checkpoint folders handed over, those being evaluated (or queued in Slurm), evaluated, failed. */
  counts: { seen: number; evaluating: number; evaluated: number; failed: number };
  /** The watcher's last line of output (a new checkpoint, a job queued, a run's result). */
  lastEvent: string | null;
  /** Why the watcher stopped on its own, and each failed checkpoint's reason. */
  errors: string[];
}
