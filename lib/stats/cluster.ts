/**
 * Cluster bookkeeping and cluster-robust standard errors (spec 2.3, 10.1).
 * Cluster id strings are interned once per analysis (ClusterDictionary, while validating the runs);
 * every cluster index after that works on integer codes, never on strings.
 * Clusters are ordered ascending by clusterId (plain `<`); a question without a cluster id is its
 * own singleton cluster, ordered after the named clusters in question order.
 */

/** Integer codes for the cluster ids of the runs of one analysis; shared so codes compare across runs. */
export class ClusterDictionary {
  private readonly codes = new Map<string, number>();
  /** Cluster id of each code. */
  readonly names: string[] = [];
  private rankCache: Int32Array | null = null;

  /** The code of `id`, assigned on first sight. */
  code(id: string): number {
    let c = this.codes.get(id);
    if (c === undefined) {
      c = this.names.length;
      this.codes.set(id, c);
      this.names.push(id);
      this.rankCache = null;
    }
    return c;
  }

  /** Position of each code in canonical cluster order. */
  ranks(): Int32Array {
    if (this.rankCache === null) {
      // Plain `<` on UTF-16 code units (spec 1.1); names are distinct, so there are no ties.
      const byName = this.names.map((_, c) => c).sort((x, y) => (this.names[x] < this.names[y] ? -1 : 1));
      const ranks = new Int32Array(this.names.length);
      byName.forEach((c, r) => (ranks[c] = r));
      this.rankCache = ranks;
    }
    return this.rankCache;
  }
}

export interface ClusterIndex {
  /** Number of clusters G. */
  G: number;
  /** Cluster index (0..G-1, canonical cluster order) of each element. */
  of: Int32Array;
  /** Cluster ids in canonical order (null for an implicit singleton). */
  ids: (string | null)[];
}

/**
 * Clusters of elements in canonical question order, given their dictionary codes (-1 = no cluster
 * id): only the clusters present count towards G. O(n + number of codes).
 */
export function clusterIndexFromCodes(codes: Int32Array, dict: ClusterDictionary): ClusterIndex {
  const ranks = dict.ranks();
  const D = ranks.length;
  const slot = new Int32Array(D).fill(-1);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) slot[ranks[codes[i]]] = 0;
  const ids: (string | null)[] = [];
  const nameOfRank = new Array<string>(D);
  for (let c = 0; c < D; c++) nameOfRank[ranks[c]] = dict.names[c];
  for (let r = 0; r < D; r++) {
    if (slot[r] === 0) {
      slot[r] = ids.length;
      ids.push(nameOfRank[r]);
    }
  }
  const of = new Int32Array(codes.length);
  let next = ids.length;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c < 0) {
      of[i] = next++;
      ids.push(null);
    } else of[i] = slot[ranks[c]];
  }
  return { G: next, of, ids };
}

/** Groups elements (already in canonical question order) into clusters in canonical cluster order. */
export function buildClusterIndex(clusterIds: readonly (string | null)[]): ClusterIndex {
  const dict = new ClusterDictionary();
  const codes = Int32Array.from(clusterIds, (c) => (c === null ? -1 : dict.code(c)));
  return clusterIndexFromCodes(codes, dict);
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
