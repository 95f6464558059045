import fs from "node:fs";
import path from "node:path";
import { writeJsonFile } from "@/lib/workspace/json-file";
import { localWorkspace } from "@/lib/workspace/s3/local";

/**
 * Cluster jobs are kept in the workspace itself, so whoever reads the workspace (the app, the CLI,
 * another machine on the shared filesystem) sees them: `cluster/jobs/<id>.json` is written by the
 * submitter, `cluster/jobs/<id>.runs.json` by the job as it starts runs (two writers, two files),
 * and each job's output goes to `cluster/logs/<id>.log` (the model server's to `<id>.serve.log`).
 * A bucket workspace keeps them in its local mirror (docs/cluster.md says why): Slurm writes a
 * job's output to a file, and only a machine with Slurm's clients can tell a job's state.
 */
export const CLUSTER_DIR = "cluster";

/** The folder the workspace's cluster state is in: a folder workspace, or a bucket's local mirror. */
export function clusterRoot(workspace: string): string {
  return localWorkspace(workspace);
}

export function clusterDirs(workspace: string) {
  const root = path.join(clusterRoot(workspace), CLUSTER_DIR);
  return { jobs: path.join(root, "jobs"), logs: path.join(root, "logs"), scripts: path.join(root, "scripts") };
}

/** One job: a checkpoint's `evalbench run`, or one element of a series' job array. */
export interface ClusterJob {
  /** Slurm's id: `12_0` for element 0 of array 12. */
  id: string;
  executor: "slurm";
  submitted_at: string;
  tasks: string[];
  model: string | null;
  checkpoint: string | null;
  step: number | null;
  partition: string | null;
  /** The job's output, relative to the workspace (to the local mirror of a bucket's). */
  log: string;
}

/** What the job itself reports: the runs it opened, the model server's log. */
export interface JobReport {
  runs: string[];
  serve_log: string | null;
}

export type ClusterJobRecord = ClusterJob & JobReport;

export function saveJob(workspace: string, job: ClusterJob): void {
  writeJsonFile(path.join(clusterDirs(workspace).jobs, `${job.id}.json`), job);
}

/** The Slurm id of the job this process runs in, when it is one element of an array. */
export function currentSlurmJob(env: NodeJS.ProcessEnv = process.env): string | null {
  return env.SLURM_ARRAY_JOB_ID && env.SLURM_ARRAY_TASK_ID ? `${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID}` : null;
}

function reportFile(workspace: string, id: string): string {
  return path.join(clusterDirs(workspace).jobs, `${id}.runs.json`);
}

function readReport(workspace: string, id: string): JobReport {
  try {
    return JSON.parse(fs.readFileSync(reportFile(workspace, id), "utf8")) as JobReport;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { runs: [], serve_log: null };
    throw error;
  }
}

/** Called by the job itself: a run it opened, or where its model server logs. */
export function reportFromJob(workspace: string, id: string, update: { run?: string; serveLog?: string }): void {
  const report = readReport(workspace, id);
  if (update.run && !report.runs.includes(update.run)) report.runs.push(update.run);
  if (update.serveLog) report.serve_log = path.relative(clusterRoot(workspace), update.serveLog);
  writeJsonFile(reportFile(workspace, id), report);
}

/** Every job submitted from this workspace, newest first. */
export function listJobs(workspace: string): ClusterJobRecord[] {
  const dir = clusterDirs(workspace).jobs;
  let names: string[];
  try {
    names = fs.readdirSync(/*turbopackIgnore: true*/ dir).filter((n) => n.endsWith(".json") && !n.endsWith(".runs.json"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const jobs = names.map((name) => {
    const job = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as ClusterJob;
    return { ...job, ...readReport(workspace, job.id) };
  });
  const order = (id: string) => id.split("_").map(Number);
  return jobs.sort((a, b) => {
    const [x, y] = [order(a.id), order(b.id)];
    return y[0] - x[0] || x[1] - y[1];
  });
}
