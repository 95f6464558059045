/**
 * Cluster bookkeeping and cluster-robust standard errors (spec 2.3, 10.1).
 * Clusters are ordered ascending by clusterId (plain `<`); a question without a cluster id is its
 * own singleton cluster, ordered after the named clusters in question order.
 */
import { compareIds } from "./align";

export interface ClusterIndex {
  /** Number of clusters G. */
  G: number;
  /** Cluster index (0..G-1, canonical cluster order) of each element. */
  of: Int32Array;
  /** Cluster ids in canonical order (null for an implicit singleton). */
  ids: (string | null)[];
}

/** Groups elements (already in canonical question order) into clusters in canonical cluster order. */
export function buildClusterIndex(clusterIds: readonly (string | null)[]): ClusterIndex {
  const named = new Map<string, number>();
  for (const c of clusterIds) if (c !== null && !named.has(c)) named.set(c, -1);
  const sortedNames = [...named.keys()].sort(compareIds);
  sortedNames.forEach((c, g) => named.set(c, g));
  const ids: (string | null)[] = [...sortedNames];
  const of = new Int32Array(clusterIds.length);
  let next = sortedNames.length;
  for (let i = 0; i < clusterIds.length; i++) {
    const c = clusterIds[i];
    if (c === null) {
      of[i] = next++;
      ids.push(null);
    } else of[i] = named.get(c)!;
  }
  return { G: next, of, ids };
}

/** Per-cluster sums S_g = sum_{i in g} x_i (canonical question order) and sizes m_g. */
export function clusterSums(x: ArrayLike<number>, idx: ClusterIndex): { S: Float64Array; m: Float64Array } {
  const S = new Float64Array(idx.G);
  const m = new Float64Array(idx.G);
  for (let i = 0; i < x.length; i++) {
    S[idx.of[i]] += x[i];
    m[idx.of[i]] += 1;
  }
  return { S, m };
}

export interface ClusteredSe {
  G: number;
  /** CR1: sqrt(G/(G-1) * sum_g E_g^2 / n^2) (spec 2.3, normative); null when G < 2. */
  cr1: number | null;
  /** CR0: sqrt(sum_g E_g^2 / n^2) (informational, spec 10.1). */
  cr0: number | null;
  /** Miller eq.4: sqrt(s^2/n + sum_g sum_{i != j in g} e_i e_j / n^2) (informational, spec 10.1). */
  millerEq4: number | null;
}

/**
 * Clustered SEs of a mean (spec 2.3, 10.1) with `e_i = x_i - xbar`, `E_g = sum_{i in g} e_i`.
 * `sd` is the n-1 sample SD of x (null when n < 2); `xbar` its mean.
 */
export function clusteredSe(x: ArrayLike<number>, xbar: number, sd: number | null, idx: ClusterIndex): ClusteredSe {
  // With one question per cluster CR1 reduces to s/sqrt(n) algebraically (spec 2.3); return that very
  // number so the identity also holds bit for bit.
  const singletons = idx.G === x.length && x.length >= 2 && sd !== null;
  const n = x.length;
  const E = new Float64Array(idx.G);
  let sumE2i = 0;
  for (let i = 0; i < n; i++) {
    const e = x[i] - xbar;
    E[idx.of[i]] += e;
    sumE2i += e * e;
  }
  let sumEg2 = 0;
  for (let g = 0; g < idx.G; g++) sumEg2 += E[g] * E[g];
  const n2 = n * n;
  const G = idx.G;
  const cr0 = n === 0 ? null : Math.sqrt(sumEg2 / n2);
  const cr1 = singletons ? (sd as number) / Math.sqrt(n) : G >= 2 ? Math.sqrt(((G / (G - 1)) * sumEg2) / n2) : null;
  let millerEq4: number | null = null;
  if (sd !== null && n >= 2) {
    const v = (sd * sd) / n + (sumEg2 - sumE2i) / n2;
    millerEq4 = v >= 0 ? Math.sqrt(v) : null;
  }
  return { G, cr1, cr0, millerEq4 };
}
