import type { FieldErrors, LaunchRequestInput } from "./request";

/** The launch page's form, read into launch requests: one per task or suite, and per checkpoint of a series. */
export interface FormRequests {
  requests: LaunchRequestInput[];
  /** The fields every request shares, for checking them when the form yields no request (no task picked). */
  common: LaunchRequestInput;
  errors: FieldErrors;
}

const text = (form: FormData, name: string): string | null => {
  const value = form.get(name);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
};

function whole(form: FormData, name: string, errors: FieldErrors): number | null {
  const value = text(form, name);
  if (value === null) return null;
  if (!/^\d+$/.test(value)) {
    errors[name] = `${value} is not a whole number`;
    return null;
  }
  return Number(value);
}

export interface SeriesCheckpoint {
  checkpoint: string;
  step: number;
  served_model: string | null;
}

/** Checkpoints in one series launch: each becomes a job per task, with its files in launches/. */
export const MAX_SERIES_LINES = 100;

/** `CHECKPOINT STEP [SERVED_MODEL]` per line; a line naming no served model takes `defaultServed`. */
export function seriesLines(value: string | null, defaultServed: string | null, errors: FieldErrors): SeriesCheckpoint[] {
  const lines = (value ?? "").split("\n").map((line) => line.trim()).filter(Boolean);
  if (lines.length === 0) {
    errors.checkpoints = "list the checkpoints, one per line: CHECKPOINT STEP [SERVED_MODEL]";
    return [];
  }
  if (lines.length > MAX_SERIES_LINES) {
    errors.checkpoints = `a series takes at most ${MAX_SERIES_LINES} checkpoints, this one has ${lines.length}: launch it in parts`;
    return [];
  }
  const checkpoints: SeriesCheckpoint[] = [];
  lines.forEach((line, i) => {
    const [checkpoint, step, served, ...rest] = line.split(/\s+/);
    if (!step || !/^\d+$/.test(step) || rest.length > 0) {
      errors.checkpoints ??= `line ${i + 1} (${line}) is not CHECKPOINT STEP [SERVED_MODEL], e.g. step-1000 1000 olmo-1b-step1000`;
      return;
    }
    checkpoints.push({ checkpoint, step: Number(step), served_model: served ?? defaultServed });
  });
  return checkpoints;
}

/** The form's fields. Anything else is refused, so no request can smuggle in a field (a serve command, a path) the form does not offer. */
const FORM_FIELDS = ["mode", "tasks", "endpoint", "served_model", "model_name", "checkpoint", "step", "checkpoints", "harness", "overrides", "limit", "concurrency", "api_key", "data", "executor", "partition", "gres", "time", "account"];

export function formRequests(form: FormData): FormRequests {
  const errors: FieldErrors = {};
  const unknown = [...new Set(form.keys())].filter((name) => !FORM_FIELDS.includes(name));
  if (unknown.length > 0) errors.form = `the launch form has no field ${unknown.join(", ")}: a model server is started only by a harness preset of the server, picked by name`;
  const tasks = form.getAll("tasks").filter((t): t is string => typeof t === "string" && t !== "");
  if (tasks.length === 0) errors.tasks = "pick at least one task or suite";
  const common: LaunchRequestInput = {
    tasks,
    endpoint: text(form, "endpoint") ?? "",
    served_model: text(form, "served_model"),
    model_name: text(form, "model_name"),
    harness: text(form, "harness") ?? "default",
    overrides: (text(form, "overrides") ?? "").split("\n").map((line) => line.trim()).filter(Boolean),
    limit: whole(form, "limit", errors),
    concurrency: whole(form, "concurrency", errors),
    api_key: text(form, "api_key"),
    data: (text(form, "data") ?? "auto") as LaunchRequestInput["data"],
  };
  const points =
    form.get("mode") === "series"
      ? seriesLines(text(form, "checkpoints"), common.served_model ?? null, errors)
      : [{ checkpoint: text(form, "checkpoint"), step: whole(form, "step", errors), served_model: common.served_model ?? null }];
  const requests = points.flatMap((point) => tasks.map((task) => ({ ...common, ...point, tasks: [task] })));
  return { requests, common, errors };
}
