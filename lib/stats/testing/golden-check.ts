/**
 * Generic checker for golden files of the shape of shared/stats-golden.json (spec 11).
 * Walks EVERY expected field of EVERY dataset; each field name maps to one rule below. A field
 * without a rule is reported as a failure ("no rule"), so a held-out file can never be silently
 * half-checked. Pure (no I/O): the caller parses the file.
 */
import { compareRuns, type RunsComparison } from "../compare";
import { pairedBootstrap, clusterBootstrap } from "../bootstrap";
import { alignRuns, cleanPair } from "../align";
import { signFlipTest } from "../sign-flip";
import { mulberry32, mulberry32Uint32 } from "../rng";
import { Z80, Z975, mdeFactor } from "../normal";
import type { ComputePath, RunScores, ScoreRecord } from "../types";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

export interface Tol {
  rtol: number;
  atol: number;
}

export interface CheckRecord {
  dataset: string;
  path: string;
  rule: string;
  ok: boolean;
  message?: string;
}

interface Ctx {
  dataset: string;
  out: CheckRecord[];
  tol: { exact: Tol; tail: Tol; nReq: number };
  B: number;
  /** B of the numpy run behind `z0` / `value` orientation fields. */
  bValue: number;
  label: string;
}

const fmt = (v: unknown) => JSON.stringify(v);

function close(a: number, e: number, t: Tol): boolean {
  return Math.abs(a - e) <= t.atol + t.rtol * Math.abs(e);
}

function record(ctx: Ctx, path: string, rule: string, ok: boolean, message?: string) {
  ctx.out.push({ dataset: ctx.dataset, path: `${ctx.label}${path}`, rule, ok, message: ok ? undefined : message });
}

/** Deterministic comparison of a number, array of numbers or null. */
function checkNumeric(ctx: Ctx, path: string, rule: string, actual: unknown, expected: unknown, t: Tol) {
  if (expected === null) return record(ctx, path, rule, actual === null, `expected null, got ${fmt(actual)}`);
  if (Array.isArray(expected)) {
    const ok =
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => typeof actual[i] === "number" && close(actual[i], e, t));
    return record(ctx, path, rule, ok, `expected ${fmt(expected)}, got ${fmt(actual)} (rtol ${t.rtol}, atol ${t.atol})`);
  }
  const ok = typeof actual === "number" && typeof expected === "number" && close(actual, expected, t);
  record(ctx, path, rule, ok, `expected ${fmt(expected)}, got ${fmt(actual)} (rtol ${t.rtol}, atol ${t.atol})`);
}

function checkEqual(ctx: Ctx, path: string, rule: string, actual: unknown, expected: unknown) {
  record(ctx, path, rule, actual === expected, `expected ${fmt(expected)}, got ${fmt(actual)}`);
}

function checkBand(ctx: Ctx, path: string, actual: unknown, band: unknown) {
  if (!Array.isArray(band) || band.length !== 2) return record(ctx, path, "band", false, `malformed band ${fmt(band)}`);
  const ok = typeof actual === "number" && actual >= band[0] && actual <= band[1];
  record(ctx, path, "band", ok, `value ${fmt(actual)} outside band [${band[0]}, ${band[1]}] (B = ${ctx.B})`);
}

// ---------------------------------------------------------------------------------------------
// Mapping of our API onto the golden field names.

function toRecords(run: Json): ScoreRecord[] {
  const ids: string[] = run.ids;
  return ids.map((questionId, i) => ({
    questionId,
    score: run.scores[i],
    ...(run.cluster_ids ? { clusterId: run.cluster_ids[i] } : {}),
  }));
}

export function goldenInputs(ds: Json): { a: RunScores; b: RunScores } {
  return { a: toRecords(ds.inputs.run_a), b: toRecords(ds.inputs.run_b) };
}

function nReqObj(list: { delta: number; raw: number; n: number }[] | null, keys: string[]) {
  if (list === null) return null;
  const o: Record<string, { raw: number; n: number }> = {};
  for (const k of keys) {
    const hit = list.find((r) => r.delta === Number(k));
    if (hit) o[k] = { raw: hit.raw, n: hit.n };
  }
  return o;
}

function bootShape(b: RunsComparison["paired"]["bootstrap"]) {
  if (b === null) return null;
  return {
    theta_hat: b.thetaHat,
    acceleration: b.acceleration,
    z0: b.z0,
    percentile_ci: b.percentileCi,
    bca_ci: b.bcaCi,
    se: { value: b.se, ideal: b.seIdeal },
    n_clusters: b.kind === "cluster" ? b.nUnits : undefined,
  };
}

/** Our result in the golden file's shape (field names of spec 11). */
export function toGoldenShape(r: RunsComparison, deltaKeys: string[]): Json {
  const run = (s: RunsComparison["runA"]) => ({
    n: s.n,
    mean: s.mean,
    sd: s.sd,
    se: s.se,
    ci95: s.ci,
    wilson95: s.wilson,
    clustered: s.clustered && {
      n_clusters: s.clustered.nClusters,
      se_clustered: s.clustered.se,
      se_clustered_cr0: s.clustered.seCr0,
      se_clustered_miller_eq4: s.clustered.seMillerEq4,
      design_effect: s.clustered.designEffect,
    },
  });
  const p = r.paired;
  const u = r.unpaired;
  const mc = p.mcnemar;
  return {
    run_a: run(r.runA),
    run_b: run(r.runB),
    paired: {
      n_shared: p.nShared,
      n_only_a: p.nOnlyA,
      n_only_b: p.nOnlyB,
      mean_a: p.meanA,
      mean_b: p.meanB,
      mean_diff: p.delta,
      sd_diff: p.sdDiff,
      se: p.se,
      ci95: p.ci,
      z: p.z,
      p_normal: p.pNormal,
      correlation: p.correlation,
      mde: p.mde,
      n_required: nReqObj(p.nRequired, deltaKeys),
      clustered: p.clustered && {
        n_clusters: p.clustered.nClusters,
        se_clustered: p.clustered.se,
        se_clustered_cr0: p.clustered.seCr0,
        se_clustered_miller_eq4: p.clustered.seMillerEq4,
        design_effect: p.clustered.designEffect,
        mde_clustered: p.clustered.mde,
        ci95_clustered: p.clustered.ci,
        p_normal_clustered: p.clustered.pNormal,
        n_required_clustered: nReqObj(p.clustered.nRequired, deltaKeys),
      },
    },
    unpaired: {
      mean_diff: u.delta,
      se: u.se,
      ci95: u.ci,
      z: u.z,
      p_normal: u.pNormal,
      mde: u.mde,
      clustered: u.clustered && {
        se_clustered: u.clustered.se,
        ci95_clustered: u.clustered.ci,
        mde_clustered: u.clustered.mde,
        p_normal_clustered: u.clustered.pNormal,
      },
    },
    mcnemar: mc && {
      both_correct: mc.bothCorrect,
      only_a_correct: mc.onlyA,
      only_b_correct: mc.onlyB,
      both_wrong: mc.bothWrong,
      n_discordant: mc.nDiscordant,
      p_exact: mc.pExact,
      chi2: mc.chi2,
      p_chi2: mc.pChi2,
      chi2_cc: mc.chi2Cc,
      p_chi2_cc: mc.pChi2Cc,
    },
    sign_flip: p.signFlip && { method: p.signFlip.method, m_nonzero: p.signFlip.mNonzero, p: p.signFlip.p },
    bootstrap_paired: bootShape(p.bootstrap),
    cluster_bootstrap_paired: bootShape(p.clusterBootstrap),
  };
}

// ---------------------------------------------------------------------------------------------
// Rules. Paths are normalised: run_a/run_b -> run, n_required keys -> *.

type Rule = "exact" | "tail" | "int" | "string" | "n_required_n" | "info" | "band" | "z0_mc" | "sign_flip_p";

const RUN = ["n:int", "mean", "sd", "se", "ci95", "wilson95"];
const CLUSTER_BASE = ["n_clusters:int", "se_clustered", "se_clustered_cr0", "se_clustered_miller_eq4", "design_effect"];
const BOOT = [
  "theta_hat",
  "acceleration",
  "B_value:info",
  "z0:z0_mc",
  "percentile_ci.value:info",
  "percentile_ci.band_lo:band",
  "percentile_ci.band_hi:band",
  "bca_ci.value:info",
  "bca_ci.band_lo:band",
  "bca_ci.band_hi:band",
  "se.value:info",
  "se.ideal",
  "se.band:band",
];
const RULE_LIST: string[] = [
  ...RUN.map((f) => `run.${f}`),
  ...CLUSTER_BASE.map((f) => `run.clustered.${f}`),
  ...[
    "n_shared:int",
    "n_only_a:int",
    "n_only_b:int",
    "mean_a",
    "mean_b",
    "mean_diff",
    "sd_diff",
    "se",
    "ci95",
    "z",
    "p_normal:tail",
    "correlation",
    "mde",
    "n_required.*.raw",
    "n_required.*.n:n_required_n",
  ].map((f) => `paired.${f}`),
  ...[
    ...CLUSTER_BASE,
    "mde_clustered",
    "ci95_clustered",
    "p_normal_clustered:tail",
    "n_required_clustered.*.raw",
    "n_required_clustered.*.n:n_required_n",
  ].map((f) => `paired.clustered.${f}`),
  ...["mean_diff", "se", "ci95", "z", "p_normal:tail", "mde"].map((f) => `unpaired.${f}`),
  ...["se_clustered", "ci95_clustered", "mde_clustered", "p_normal_clustered:tail"].map((f) => `unpaired.clustered.${f}`),
  ...[
    "both_correct:int",
    "only_a_correct:int",
    "only_b_correct:int",
    "both_wrong:int",
    "n_discordant:int",
    "p_exact",
    "chi2",
    "p_chi2:tail",
    "chi2_cc",
    "p_chi2_cc:tail",
  ].map((f) => `mcnemar.${f}`),
  ...["method:string", "m_nonzero:int", "p:sign_flip_p", "p_band:band", "p_value_numpy_B20000:info", "p_reference_B400000:info"].map(
    (f) => `sign_flip.${f}`
  ),
  ...BOOT.map((f) => `bootstrap_paired.${f}`),
  ...[...BOOT, "n_clusters:int"].map((f) => `cluster_bootstrap_paired.${f}`),
];

export const RULES: ReadonlyMap<string, Rule> = new Map(
  RULE_LIST.map((s) => {
    const [p, r] = s.split(":");
    return [p, (r ?? "exact") as Rule];
  })
);
/** Object nodes that may be null or hold fields (checked as a whole when null). */
const CONTAINERS = new Set([
  "run",
  "run.clustered",
  "paired",
  "paired.n_required",
  "paired.n_required.*",
  "paired.clustered",
  "paired.clustered.n_required_clustered",
  "paired.clustered.n_required_clustered.*",
  "unpaired",
  "unpaired.clustered",
  "mcnemar",
  "sign_flip",
  "bootstrap_paired",
  "bootstrap_paired.percentile_ci",
  "bootstrap_paired.bca_ci",
  "bootstrap_paired.se",
  "cluster_bootstrap_paired",
  "cluster_bootstrap_paired.percentile_ci",
  "cluster_bootstrap_paired.bca_ci",
  "cluster_bootstrap_paired.se",
]);

function normalise(keys: string[]): string {
  const out: string[] = [];
  keys.forEach((k, i) => {
    if (i === 0 && (k === "run_a" || k === "run_b")) out.push("run");
    else if (i > 0 && (keys[i - 1] === "n_required" || keys[i - 1] === "n_required_clustered")) out.push("*");
    else out.push(k);
  });
  return out.join(".");
}

/** Actual value for band-type fields: the interval endpoint / SE / p the band constrains. */
function bandTarget(key: string, actualParent: Json): unknown {
  if (actualParent === null || actualParent === undefined) return undefined;
  if (key === "band_lo") return actualParent[0];
  if (key === "band_hi") return actualParent[1];
  if (key === "band") return actualParent.value;
  if (key === "p_band") return actualParent.p;
  return undefined;
}

function z0Tolerance(z0: number, B1: number, B2: number): number {
  // p0 is a proportion with per-draw variance <= 1/4 (ties count one half); z0 = Phi^-1(p0), so
  // sd(z0) <= 0.5 sqrt(1/B1 + 1/B2) / phi(z0). Four SDs, as the bands use.
  const phi = Math.exp(-(z0 * z0) / 2) / Math.sqrt(2 * Math.PI);
  return (4 * 0.5 * Math.sqrt(1 / B1 + 1 / B2)) / phi;
}

function walk(ctx: Ctx, keys: string[], expected: Json, actual: Json, actualParent: Json, expectedParent: Json) {
  const path = keys.join(".");
  const norm = normalise(keys);
  const rule = RULES.get(norm);
  if (rule === undefined) {
    if (!CONTAINERS.has(norm)) return record(ctx, path, "unknown", false, `no rule to check expected field "${norm}": refusing to skip it`);
    if (expected === null) return record(ctx, path, "null", actual === null || actual === undefined, `expected null, got ${fmt(actual)}`);
    if (typeof expected !== "object" || Array.isArray(expected)) return record(ctx, path, "unknown", false, `expected an object at "${norm}"`);
    if (actual === null || actual === undefined || typeof actual !== "object") {
      return record(ctx, path, "object", false, `expected an object, got ${fmt(actual)}`);
    }
    for (const k of Object.keys(expected)) walk(ctx, [...keys, k], expected[k], actual[k], actual, expected);
    return;
  }
  const key = keys[keys.length - 1];
  switch (rule) {
    case "exact":
      return checkNumeric(ctx, path, rule, actual, expected, ctx.tol.exact);
    case "tail":
      return checkNumeric(ctx, path, rule, actual, expected, ctx.tol.tail);
    case "int":
    case "string":
      return checkEqual(ctx, path, rule, actual, expected);
    case "n_required_n":
      return record(
        ctx,
        path,
        rule,
        typeof actual === "number" && Math.abs(actual - expected) <= ctx.tol.nReq,
        `expected ${expected} +-${ctx.tol.nReq}, got ${fmt(actual)}`
      );
    case "info":
      return record(ctx, path, "info (orientation only, spec 11)", true);
    case "band":
      return checkBand(ctx, path, bandTarget(key, actualParent), expected);
    case "z0_mc": {
      if (expected === null) return record(ctx, path, rule, actual === null, `expected null, got ${fmt(actual)}`);
      const tol = z0Tolerance(expected, ctx.B, ctx.bValue);
      return record(ctx, path, rule, typeof actual === "number" && Math.abs(actual - expected) <= tol, `z0 ${fmt(actual)} vs ${expected} (+-${tol})`);
    }
    case "sign_flip_p":
      if (expectedParent?.method === "monte_carlo") {
        // Monte Carlo p is constrained by p_band (spec 11); a value is still required.
        return record(ctx, path, "sign_flip_p (monte carlo, see p_band)", typeof actual === "number", `expected a number, got ${fmt(actual)}`);
      }
      return checkNumeric(ctx, path, "exact", actual, expected, ctx.tol.exact);
  }
}

// ---------------------------------------------------------------------------------------------

function tolerances(golden: Json) {
  const t = golden.tolerances ?? {};
  const exact: Tol = { rtol: t.exact_arithmetic?.rtol ?? 1e-9, atol: t.exact_arithmetic?.atol ?? 1e-12 };
  const tail: Tol = { rtol: t.normal_tail?.rtol ?? 1e-6, atol: t.normal_tail?.atol ?? 1e-15 };
  const approx: Tol = { rtol: t.quantile_approx?.rtol ?? 1e-8, atol: t.quantile_approx?.atol ?? 1e-12 };
  const alpha = golden.conventions?.alpha ?? 0.05;
  const power = golden.conventions?.power ?? 0.8;
  // Non-default alpha/power go through Acklam: use the looser quantile tolerance (spec 11).
  const nonDefault = alpha !== 0.05 || power !== 0.8;
  const ex = nonDefault ? { rtol: Math.max(exact.rtol, approx.rtol), atol: Math.max(exact.atol, approx.atol) } : exact;
  const tl = nonDefault ? { rtol: Math.max(tail.rtol, approx.rtol), atol: Math.max(tail.atol, approx.atol) } : tail;
  return { exact: ex, tail: tl, nReq: t["n_required.n"]?.atol ?? 1, alpha, power };
}

function deltaKeysOf(expected: Json): string[] {
  const keys = new Set<string>();
  for (const o of [expected?.paired?.n_required, expected?.paired?.clustered?.n_required_clustered]) {
    if (o && typeof o === "object") for (const k of Object.keys(o)) keys.add(k);
  }
  return [...keys];
}

export interface DatasetCheckOptions {
  /** Resampling path for the Monte Carlo fields. */
  path?: ComputePath;
  seed?: number;
  B?: number;
}

/** Checks every expected field of one dataset (spec 11 tolerances) with one computation path. */
export function checkDataset(golden: Json, ds: Json, opts: DatasetCheckOptions = {}): CheckRecord[] {
  const t = tolerances(golden);
  const B = Math.max(opts.B ?? 10000, golden.conventions?.bootstrap?.B_dev_min ?? 10000);
  const deltaKeys = deltaKeysOf(ds.expected);
  const { a, b } = goldenInputs(ds);
  const r = compareRuns(a, b, {
    alpha: t.alpha,
    power: t.power,
    B,
    signFlipB: B,
    seed: opts.seed ?? 2024,
    path: opts.path ?? "auto",
    targetDeltas: deltaKeys.length ? deltaKeys.map(Number) : undefined,
  });
  const actual = toGoldenShape(r, deltaKeys);
  const ctx: Ctx = {
    dataset: ds.id,
    out: [],
    tol: t,
    B,
    bValue: ds.expected?.bootstrap_paired?.B_value ?? golden.conventions?.bootstrap?.B_value ?? 20000,
    label: `expected[path=${opts.path ?? "auto"}].`,
  };
  for (const k of Object.keys(ds.expected)) walk(ctx, [k], ds.expected[k], actual[k], actual, ds.expected);
  return ctx.out;
}

/** Checks a dataset's `exact_replay` block (spec 7.3, 11) with the reference loops. */
export function checkExactReplay(golden: Json, ds: Json): CheckRecord[] {
  const out: CheckRecord[] = [];
  const ctx: Ctx = { dataset: ds.id, out, tol: tolerances(golden), B: 0, bValue: 0, label: "exact_replay." };
  const replay = ds.exact_replay;
  if (!replay) return out;
  const { a, b } = goldenInputs(ds);
  const al = alignRuns(...cleanPair(a, b));
  const d = al.d;
  const rangeD = d.length ? Math.max(...d) - Math.min(...d) : 0;
  const t12: Tol = { rtol: 1e-12, atol: 1e-12 };
  const alpha = golden.conventions?.alpha ?? 0.05;
  for (const [block, exp] of Object.entries<Json>(replay)) {
    const p = (k: string) => `${block}.${k}`;
    let actual: Json;
    if (block === "bootstrap_paired" || block === "cluster_bootstrap_paired") {
      const o = { B: exp.B, seed: exp.seed, alpha, path: "reference" as const, keepReplicates: true };
      const res =
        block === "bootstrap_paired" ? pairedBootstrap(d, o) : al.clusters ? clusterBootstrap(d, al.clusters, o) : null;
      if (!res) {
        record(ctx, block, "replay", false, "our implementation returned null");
        continue;
      }
      actual = {
        first_replicates: Array.from(res.replicates!.subarray(0, exp.first_replicates?.length ?? 0)),
        percentile_ci: res.percentileCi,
        bca_ci: res.bcaCi,
        z0: res.z0,
        acceleration: res.acceleration,
        se: res.se,
      };
    } else if (block === "sign_flip_monte_carlo") {
      const res = signFlipTest(d, { B: exp.B, seed: exp.seed, path: "reference", forceMonteCarlo: true });
      actual = { count_extreme: res.countExtreme, p: res.p, method: res.method };
      if (res.method !== "monte_carlo") record(ctx, p("method"), "replay", false, `sign-flip did not run Monte Carlo (${res.method})`);
    } else {
      record(ctx, block, "unknown", false, `no rule to check exact_replay block "${block}"`);
      continue;
    }
    for (const [k, e] of Object.entries<Json>(exp)) {
      if (k === "seed" || k === "B") record(ctx, p(k), "input", true);
      else if (k === "first_replicates" || k === "percentile_ci" || k === "se" || k === "acceleration" || k === "p")
        checkNumeric(ctx, p(k), "replay 1e-12", actual[k], e, t12);
      else if (k === "count_extreme") checkEqual(ctx, p(k), "replay exact", actual[k], e);
      else if (k === "z0") checkNumeric(ctx, p(k), "replay z0 1e-7", actual[k], e, { rtol: 0, atol: 1e-7 });
      else if (k === "bca_ci") checkNumeric(ctx, p(k), "replay bca", actual[k], e, { rtol: 0, atol: 1e-5 * Math.max(1, rangeD) });
      else record(ctx, p(k), "unknown", false, `no rule to check exact_replay field "${k}"`);
    }
  }
  return out;
}

/** Checks `conventions` constants and `prng_conformance` vectors (spec 1.2, 7.1, 7.2). */
export function checkGlobals(golden: Json): CheckRecord[] {
  const out: CheckRecord[] = [];
  const ctx: Ctx = { dataset: "(globals)", out, tol: tolerances(golden), B: 0, bValue: 0, label: "" };
  const c = golden.conventions ?? {};
  if ("z_975" in c) checkEqual(ctx, "conventions.z_975", "constant", Z975, c.z_975);
  if ("z_80" in c) checkEqual(ctx, "conventions.z_80", "constant", Z80, c.z_80);
  if ("mde_factor" in c) checkNumeric(ctx, "conventions.mde_factor", "exact", mdeFactor(c.alpha ?? 0.05, c.power ?? 0.8), c.mde_factor, ctx.tol.exact);
  if ("sign_flip_exact_max_nonzero" in c) checkEqual(ctx, "conventions.sign_flip_exact_max_nonzero", "constant", 20, c.sign_flip_exact_max_nonzero);
  for (const v of golden.prng_conformance?.vectors ?? []) {
    const u = mulberry32Uint32(v.seed);
    const f = mulberry32(v.seed);
    const us = (v.first_uint32 ?? []).map(() => u());
    const fs = (v.first_float ?? []).map(() => f());
    checkEqual(ctx, `prng_conformance.seed=${v.seed}.first_uint32`, "exact bits", fmt(us), fmt(v.first_uint32 ?? []));
    checkEqual(ctx, `prng_conformance.seed=${v.seed}.first_float`, "exact bits", fmt(fs), fmt(v.first_float ?? []));
  }
  const idx = golden.prng_conformance?.index_draws;
  if (idx) {
    const f = mulberry32(idx.seed);
    const draws = idx.first_20.map(() => Math.floor(f() * idx.n));
    checkEqual(ctx, "prng_conformance.index_draws", "exact", fmt(draws), fmt(idx.first_20));
  }
  return out;
}
