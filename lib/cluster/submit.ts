import path from "node:path";
import type { RunConfig } from "@/lib/runner/launch";
import { runArgs } from "@/lib/launch/request";
import { forCheckpoint, type CheckpointPoint } from "./checkpoint";
import { clusterDirs, clusterRoot, saveJob, type ClusterJob } from "./jobs";
import { submitArray, type SlurmOptions } from "./slurm";

/** The `evalbench` entry point and Node, as the job runs them (the cluster's nodes share this filesystem). */
export interface Cli {
  node: string;
  script: string;
}

/**
 * A checkpoint series on Slurm: one job array, element i runs `evalbench run` for checkpoint i
 * with every task; each element is recorded in the workspace with its log.
 */
export async function submitSeries(config: RunConfig, points: readonly CheckpointPoint[], options: SlurmOptions, cli: Cli): Promise<ClusterJob[]> {
  const configs = points.map((point) => forCheckpoint(config, point));
  const dirs = clusterDirs(config.workspace);
  const { arrayId } = await submitArray(configs.map((c) => [cli.node, cli.script, ...runArgs(c)]), options, dirs);
  const submittedAt = new Date().toISOString();
  return configs.map((c, i) => {
    const id = `${arrayId}_${i}`;
    const job: ClusterJob = {
      id,
      executor: "slurm",
      submitted_at: submittedAt,
      tasks: c.tasks,
      model: c.model.name ?? c.model.served_model,
      checkpoint: c.model.checkpoint,
      step: c.model.step,
      partition: options.partition,
      log: path.relative(clusterRoot(config.workspace), path.join(dirs.logs, `${id}.log`)),
    };
    saveJob(config.workspace, job);
    return job;
  });
}
