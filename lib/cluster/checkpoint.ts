import fs from "node:fs";
import path from "node:path";
import { seriesLines } from "@/lib/launch/form";
import type { FieldErrors } from "@/lib/launch/request";
import type { RunConfig } from "@/lib/runner/launch";

/** One checkpoint of a series: a label (or, with --serve, what the server is given), its step, the model id it is served under. */
export interface CheckpointPoint {
  checkpoint: string | null;
  step: number | null;
  served_model: string | null;
}

/** The run's checkpoint label for what the server is given: the last part of a path or hub id. */
export function checkpointLabel(checkpoint: string): string {
  return path.basename(checkpoint.replace(/\/+$/, "")) || checkpoint;
}

/** The config of one checkpoint's run: with --serve the checkpoint goes to the server and its last part labels the run. */
export function forCheckpoint(config: RunConfig, point: CheckpointPoint): RunConfig {
  const model = { ...config.model, step: point.step, served_model: point.served_model ?? config.model.served_model };
  if (config.serve === null) return { ...config, model: { ...model, checkpoint: point.checkpoint } };
  return { ...config, serve: { ...config.serve, checkpoint: point.checkpoint }, model: { ...model, checkpoint: point.checkpoint === null ? null : checkpointLabel(point.checkpoint) } };
}

/** A checkpoint folder the server is to load must exist (it may have been removed after its job was queued). */
export function checkCheckpointFolder(config: RunConfig): void {
  const checkpoint = config.serve?.checkpoint;
  if (!checkpoint || !config.serve?.command.includes("{checkpoint}")) return;
  if (!(path.isAbsolute(checkpoint) || checkpoint.startsWith("."))) return; // a hub id, which the server resolves
  if (!fs.existsSync(checkpoint)) throw new Error(`the checkpoint folder ${checkpoint} does not exist (removed after its job was queued?); nothing was run for it`);
}

/** `--series FILE`: a checkpoint per line, `CHECKPOINT STEP [SERVED_MODEL]`, as the launch page takes them. */
export function readSeries(file: string): CheckpointPoint[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`--series ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const errors: FieldErrors = {};
  const points = seriesLines(text, null, errors);
  if (errors.checkpoints) throw new Error(`--series ${file}: ${errors.checkpoints}`);
  // a relative folder is made absolute: the job may start in another folder
  return points.map((p) => ({ ...p, checkpoint: /^\.\.?\//.test(p.checkpoint) ? path.resolve(p.checkpoint) : p.checkpoint }));
}
