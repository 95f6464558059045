import fs from "node:fs";
import path from "node:path";
import { runArgs, toRunConfig, LaunchValidationError, type FieldErrors, type LaunchRequestInput, type LaunchSite } from "@/lib/launch/request";
import { slurmFromForm } from "./form";
import { sbatchFlags, type SlurmOptions } from "./slurm";
import { patternRegex, scan } from "./watch";

/*
 * "Watch a folder" from the launch page: the form read into a watcher request, checked in the
 * form's words, and turned into the arguments of `evalbench watch` (an array, never a shell line).
 * The model server is the harness preset's: the browser names a preset, never a command.
 */

export interface WatchRequest {
  /** The folder on this server the trainer writes its checkpoint folders into. */
  folder: string;
  pattern: string;
  ready_file: string | null;
  /** What each checkpoint runs: tasks, labels, the harness preset (with serve), limits; checked as a launch is. */
  launch: LaunchRequestInput;
  executor: "local" | "slurm";
  slurm: SlurmOptions | null;
}

/** The watch form's fields; anything else is refused, as on the launch form. */
const WATCH_FIELDS = ["folder", "pattern", "ready_file", "tasks", "model_name", "harness", "overrides", "limit", "concurrency", "data", "executor", "partition", "gres", "time", "account"];

const READY_FILE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

const text = (form: FormData, name: string): string | null => {
  const value = form.get(name);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
};

function whole(form: FormData, name: string, errors: FieldErrors): number | null {
  const value = text(form, name);
  if (value !== null && !/^\d+$/.test(value)) errors[name] = `${value} is not a whole number`;
  return value === null || errors[name] ? null : Number(value);
}

export function watchFromForm(form: FormData): { request: WatchRequest; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const unknown = [...new Set(form.keys())].filter((name) => !WATCH_FIELDS.includes(name));
  if (unknown.length > 0) errors.form = `the watch form has no field ${unknown.join(", ")}: the model server comes only from a harness preset of the server, picked by name`;
  const slurm = slurmFromForm(form, errors);
  const request: WatchRequest = {
    folder: text(form, "folder") ?? "",
    pattern: text(form, "pattern") ?? "*",
    ready_file: text(form, "ready_file"),
    launch: {
      tasks: (text(form, "tasks") ?? "").split(/[\s,]+/).filter(Boolean),
      model_name: text(form, "model_name"),
      harness: text(form, "harness") ?? "",
      overrides: (text(form, "overrides") ?? "").split("\n").map((line) => line.trim()).filter(Boolean),
      limit: whole(form, "limit", errors),
      concurrency: whole(form, "concurrency", errors),
      data: (text(form, "data") ?? "auto") as LaunchRequestInput["data"],
    },
    executor: slurm ? "slurm" : "local",
    slurm,
  };
  return { request, errors };
}

/** The folder must be a readable folder of this server, named by its absolute path. */
function folderProblem(folder: string): string | null {
  if (folder === "") return "name the folder the trainer writes its checkpoint folders into, e.g. /ckpts/olmo-1b";
  if (!path.isAbsolute(folder) || /[\0\n\r]/.test(folder)) return `${folder} is not an absolute path: give the folder's full path on this server, e.g. /ckpts/olmo-1b`;
  try {
    if (!fs.statSync(folder).isDirectory()) return `${folder} is a file, not a folder: name the folder holding the checkpoint folders`;
    fs.accessSync(folder, fs.constants.R_OK | fs.constants.X_OK);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return `${folder} does not exist on this server: create it, or name the folder the trainer writes its checkpoints into`;
    return `this server cannot read ${folder} (${code ?? (error as Error).message}): the app's user must be able to list it`;
  }
}

/**
 * Checks a watcher request as far as it can be checked before starting: the folder, the pattern
 * against what the folder holds, the ready file, and each checkpoint's launch as the launch form's
 * (tasks, overrides, data, a harness preset that starts a model server). Every field's problem at
 * once, in the form's words; returns the `evalbench watch` arguments and the serve command they
 * lead to (the child finds it again from the preset).
 */
export function watchArgs(request: WatchRequest, site: LaunchSite): { args: string[]; serve: string } {
  const fields: FieldErrors = {};
  const folder = request.folder;
  const folderError = folderProblem(folder);
  if (folderError) fields.folder = folderError;
  try {
    patternRegex(request.pattern);
    if (!folderError) scan({ dir: folder, pattern: request.pattern, readyFile: request.ready_file, workspace: site.workspace });
  } catch (error) {
    fields.pattern = (error as Error).message.replace(/--pattern /g, "the pattern ");
  }
  if (request.ready_file !== null && !READY_FILE.test(request.ready_file)) fields.ready_file = `${request.ready_file} is not a file name: name the file the trainer writes last in each checkpoint folder, e.g. done or config.json`;
  let config;
  try {
    // each checkpoint folder becomes the {checkpoint} of the preset's server; the folder stands in for them here
    config = toRunConfig({ ...request.launch, endpoint: "", checkpoint: folder }, site);
  } catch (error) {
    if (!(error instanceof LaunchValidationError)) throw error;
    const { endpoint, checkpoint, ...rest } = error.fields;
    Object.assign(fields, rest);
    // no endpoint can be given here: a preset without serve is the problem
    if (endpoint) fields.harness ??= `harness ${request.launch.harness || "(none)"} starts no model server: pick a preset with serve (from the server's harness file, EVALBENCH_HARNESS_FILE; see docs/cluster.md)`;
    if (checkpoint && !fields.folder) fields.folder = checkpoint;
  }
  if (Object.keys(fields).length > 0 || !config?.serve) throw new LaunchValidationError(fields);
  const perCheckpoint = { ...config, serve: { ...config.serve, checkpoint: null }, model: { ...config.model, checkpoint: null, step: null } };
  const slurm = request.executor === "slurm" && request.slurm ? sbatchFlags(request.slurm) : [];
  const args = ["watch", folder, `--pattern=${request.pattern}`, ...(request.ready_file ? [`--ready-file=${request.ready_file}`] : []), `--executor=${request.executor}`, ...slurm, ...runArgs(perCheckpoint).slice(1)];
  return { args, serve: config.serve.command };
}
