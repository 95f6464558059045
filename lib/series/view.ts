import { TRAJECTORY_KINDS, type TrajectoryKind } from "./trajectories";
import { DEFAULT_K } from "./defaults";
import type { SeriesOptions } from "./report";

/** Everything the series page shows, as its URL holds it: a link reopens the same view. */
export interface SeriesView {
  lines: string[];
  task: string | null;
  /** A suite instead of one task. */
  suite: string | null;
  metric: string | null;
  k: number;
  margin: number;
  /** The line whose question trajectories are shown (index into lines). */
  traj: number;
  /** Trajectory filter: a kind, or "flipping" (at least `flipsAtLeast` flips), or "all". */
  filter: TrajectoryKind | "flipping" | "all";
  flipsAtLeast: number;
  /** The open question, task/instance_id. */
  question: string | null;
}

/** A link whose parameters do not parse: HTTP 400 in the app. */
export class SeriesViewError extends Error {
  readonly status = 400;
}

const FILTERS = new Set<string>(["all", "flipping", ...TRAJECTORY_KINDS]);

function whole(params: URLSearchParams, name: string, fallback: number, min: number): number {
  const raw = params.get(name);
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new SeriesViewError(`${name}=${raw} in the link is not a whole number of at least ${min}`);
  return n;
}

/** Reads the view from URL parameters; a value that does not parse is named. */
export function decodeSeriesView(params: URLSearchParams): SeriesView {
  const filter = params.get("filter") ?? "all";
  if (!FILTERS.has(filter)) throw new SeriesViewError(`filter=${filter} in the link is not one of ${[...FILTERS].join(", ")}`);
  const marginText = params.get("margin");
  const margin = marginText === null || marginText === "" ? 0 : Number(marginText);
  if (!Number.isFinite(margin) || margin < 0) throw new SeriesViewError(`margin=${marginText} in the link is not a score difference of at least 0`);
  return {
    // a line named twice (the baseline ticked again among the others) is the same line
    lines: [...new Set(params.getAll("line").filter((l) => l !== ""))],
    task: params.get("task") || null,
    suite: params.get("suite") || null,
    metric: params.get("metric") || null,
    k: whole(params, "k", DEFAULT_K, 2),
    margin,
    traj: whole(params, "traj", 0, 0),
    filter: filter as SeriesView["filter"],
    flipsAtLeast: whole(params, "flips", 2, 1),
    question: params.get("q") || null,
  };
}

/** The view as URL parameters, defaults left out. */
export function encodeSeriesView(view: Partial<SeriesView>): string {
  const params = new URLSearchParams();
  for (const line of view.lines ?? []) params.append("line", line);
  if (view.task) params.set("task", view.task);
  if (view.suite) params.set("suite", view.suite);
  if (view.metric) params.set("metric", view.metric);
  if (view.k !== undefined && view.k !== DEFAULT_K) params.set("k", String(view.k));
  if (view.margin) params.set("margin", String(view.margin));
  if (view.traj) params.set("traj", String(view.traj));
  if (view.filter && view.filter !== "all") params.set("filter", view.filter);
  if (view.flipsAtLeast !== undefined && view.flipsAtLeast !== 2) params.set("flips", String(view.flipsAtLeast));
  if (view.question) params.set("q", view.question);
  return params.toString();
}

/** The view's parameters that the figures depend on (lines, task or suite, metric, k, margin): what the page asks /api/series with. */
export function seriesServerQuery(view: SeriesView): string {
  return encodeSeriesView({ lines: view.lines, task: view.task, suite: view.suite, metric: view.metric, k: view.k, margin: view.margin });
}

/** The computation's options for a view that names its lines and task. */
export function seriesOptions(view: SeriesView): SeriesOptions {
  return { lines: view.lines, task: view.task ?? "", metric: view.metric, k: view.k, tieMargin: view.margin };
}
