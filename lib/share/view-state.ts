import { z } from "zod";
import { DEFAULT_SETTINGS } from "@/lib/compare/report";

/** Version of the link encoding: bumped when a parameter changes meaning. 2 named the sides candidate and baseline (1: a and b, still read). */
export const LINK_VERSION = 2;

/** Bootstrap resamples a link may ask for: ten times the default; more grows the page by gigabytes. */
export const MAX_LINK_BOOTSTRAP = 100_000;

/** Length of the content-hash prefix that pins each run in a link. */
export const PIN_LENGTH = 12;

const TwoByTwoCell = z.enum(["both_right", "only_a", "only_b", "both_wrong"]);
const SortColumn = z.enum(["difference", "task", "instance_id", "score_a", "score_b"]);
const PairingFilter = z.enum(["all", "shared", "mismatch", "only_a", "only_b"]);

/** Everything the compare page shows, so that a link reopens exactly the same view. */
export const CompareView = z.object({
  /** The candidate's run id (the side whose score the difference starts from: candidate − baseline). */
  a: z.string().min(1),
  /** The baseline's run id. */
  b: z.string().min(1),
  /** sha256 prefixes of the runs' records when the link was made; null for an unfinished run. */
  pinA: z.string().nullable().default(null),
  pinB: z.string().nullable().default(null),
  metric: z.string().nullable().default(null),
  task: z.string().nullable().default(null),
  subtask: z.string().nullable().default(null),
  search: z.string().default(""),
  cell: TwoByTwoCell.nullable().default(null),
  /** Questions by how they pair: mismatched ones are listed here, never in the statistics. */
  pairing: PairingFilter.default("all"),
  sort: SortColumn.default("difference"),
  desc: z.boolean().default(true),
  /** The open question: `task/instance_id/sample`. */
  selected: z.string().nullable().default(null),
  seed: z.number().int().nonnegative().default(DEFAULT_SETTINGS.seed),
  B: z.number().int().positive().max(MAX_LINK_BOOTSTRAP, `at most ${MAX_LINK_BOOTSTRAP} bootstrap resamples (the default is ${DEFAULT_SETTINGS.B}); for more, use evalbench compare --bootstrap`).default(DEFAULT_SETTINGS.B),
  alpha: z.number().gt(0).lt(1).default(DEFAULT_SETTINGS.alpha),
});

export type CompareView = z.infer<typeof CompareView>;
export type CompareViewInput = z.input<typeof CompareView>;

export class ShareLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShareLinkError";
  }
}

type Names = Record<keyof CompareView, string>;

/** URL parameter names of the current version: short, and stable within a link version. */
const PARAMS = {
  a: "candidate", b: "baseline", pinA: "candidate_pin", pinB: "baseline_pin", metric: "m", task: "t", subtask: "st", search: "q",
  cell: "c", pairing: "p", sort: "s", desc: "d", selected: "sel", seed: "seed", B: "resamples", alpha: "alpha",
} as const satisfies Names;

/** Version 1's names, which called the candidate A and the baseline B. */
const PARAMS_V1 = { ...PARAMS, a: "a", b: "b", pinA: "ah", pinB: "bh", B: "B" } as const satisfies Names;

/** Values that name a side in the URL (2x2 cell, pairing filter, sort column), by the view's value. */
const SIDE_VALUES: Record<string, string> = { only_a: "only_candidate", only_b: "only_baseline", score_a: "score_candidate", score_b: "score_baseline" };
const SIDE_KEYS = new Set<keyof CompareView>(["cell", "pairing", "sort"]);
const FROM_URL = Object.fromEntries(Object.entries(SIDE_VALUES).map(([view, url]) => [url, view]));

const NUMERIC = new Set<keyof CompareView>(["seed", "B", "alpha"]);

/**
 * The view as URL search parameters: `v` first, then only the fields that differ from their
 * defaults, so a link stays short and readable in a code review.
 */
export function encodeView(input: CompareViewInput): string {
  const view = CompareView.parse(input);
  const defaults = CompareView.parse({ a: view.a, b: view.b });
  const params = new URLSearchParams({ v: String(LINK_VERSION) });
  for (const key of Object.keys(PARAMS) as (keyof CompareView)[]) {
    const value = view[key];
    if (value === null || (value === defaults[key] && key !== "a" && key !== "b")) continue;
    const text = typeof value === "boolean" ? (value ? "1" : "0") : String(value);
    params.set(PARAMS[key], SIDE_KEYS.has(key) ? (SIDE_VALUES[text] ?? text) : text);
  }
  return params.toString();
}

/** The same view with the candidate and the baseline exchanged: what each side-named filter and sort means follows its run. */
export function swapSides(view: CompareView): CompareView {
  const swap = <T extends string | null>(value: T): T => (value === null ? value : (({ only_a: "only_b", only_b: "only_a", score_a: "score_b", score_b: "score_a" } as Record<string, string>)[value] ?? value) as T);
  return { ...view, a: view.b, b: view.a, pinA: view.pinB, pinB: view.pinA, cell: swap(view.cell), pairing: swap(view.pairing), sort: swap(view.sort) };
}

/** Reads a view from URL search parameters; a link of another version or a bad value is named. */
export function decodeView(search: string | URLSearchParams): CompareView {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  // links made before versions were written (`?a=..&b=..`) are version 1's
  const version = params.get("v") ?? (params.has("a") || params.has("b") ? "1" : String(LINK_VERSION));
  if (version !== "1" && version !== String(LINK_VERSION)) {
    throw new ShareLinkError(`this link uses encoding version ${version}; this evalbench reads versions 1 to ${LINK_VERSION}. Open it with the evalbench that made it, or pick the runs again.`);
  }
  const names: Names = version === "1" ? PARAMS_V1 : PARAMS;
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(names) as [keyof CompareView, string][]) {
    const value = params.get(name);
    if (value === null) continue;
    raw[key] = key === "desc" ? value === "1" : NUMERIC.has(key) ? Number(value) : SIDE_KEYS.has(key) ? (FROM_URL[value] ?? value) : value;
  }
  if (!raw.a || !raw.b) throw new ShareLinkError(`a comparison link needs two runs: ?${names.a}=<run id>&${names.b}=<run id>`);
  const parsed = CompareView.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ShareLinkError(`this link's ${names[issue.path[0] as keyof CompareView] ?? String(issue.path[0])} parameter is not valid: ${issue.message}`);
  }
  return parsed.data;
}
