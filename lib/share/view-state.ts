import { z } from "zod";
import { DEFAULT_SETTINGS } from "@/lib/compare/report";

/** Version of the link encoding: bumped when a parameter changes meaning. */
export const LINK_VERSION = 1;

/** Bootstrap resamples a link may ask for: ten times the default; more grows the page by gigabytes. */
export const MAX_LINK_BOOTSTRAP = 100_000;

/** Length of the content-hash prefix that pins each run in a link. */
export const PIN_LENGTH = 12;

const TwoByTwoCell = z.enum(["both_right", "only_a", "only_b", "both_wrong"]);
const SortColumn = z.enum(["difference", "task", "instance_id", "score_a", "score_b"]);
const PairingFilter = z.enum(["all", "shared", "mismatch", "only_a", "only_b"]);

/** Everything the compare page shows, so that a link reopens exactly the same view. */
export const CompareView = z.object({
  a: z.string().min(1),
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

/** URL parameter names: short, and stable within a link version. */
const PARAMS = {
  a: "a", b: "b", pinA: "ah", pinB: "bh", metric: "m", task: "t", subtask: "st", search: "q",
  cell: "c", pairing: "p", sort: "s", desc: "d", selected: "sel", seed: "seed", B: "B", alpha: "alpha",
} as const satisfies Record<keyof CompareView, string>;

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
    params.set(PARAMS[key], typeof value === "boolean" ? (value ? "1" : "0") : String(value));
  }
  return params.toString();
}

/** Reads a view from URL search parameters; a link of another version or a bad value is named. */
export function decodeView(search: string | URLSearchParams): CompareView {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const version = params.get("v") ?? String(LINK_VERSION);
  if (version !== String(LINK_VERSION)) {
    throw new ShareLinkError(`this link uses encoding version ${version}; this evalbench reads version ${LINK_VERSION}. Open it with the evalbench that made it, or pick the runs again.`);
  }
  const raw: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(PARAMS) as [keyof CompareView, string][]) {
    const value = params.get(name);
    if (value === null) continue;
    raw[key] = key === "desc" ? value === "1" : NUMERIC.has(key) ? Number(value) : value;
  }
  if (!raw.a || !raw.b) throw new ShareLinkError("a comparison link needs two runs: ?a=<run id>&b=<run id>");
  const parsed = CompareView.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ShareLinkError(`this link's ${PARAMS[issue.path[0] as keyof CompareView] ?? String(issue.path[0])} parameter is not valid: ${issue.message}`);
  }
  return parsed.data;
}
