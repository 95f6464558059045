import type { ReactNode } from "react";
import { headlineCi } from "@/lib/compare/markdown";
import type { CompareReport } from "@/lib/compare/report";
import { formatCount } from "../format";
import { formatDiff, formatInterval, formatMean, formatP, unitLabel } from "./numbers";

const P_METHODS: Record<string, string> = {
  mcnemar_exact: "exact McNemar",
  sign_flip_exact: "sign-flip, exact",
  sign_flip_monte_carlo: "sign-flip, Monte Carlo",
};

interface Props {
  report: CompareReport;
  /** The report shown is not yet the final one for the current view (aria-busy). */
  pending: boolean;
  /** The report is the analytic one: the bootstrap is still running, the verdict quotes the analytic CI. */
  bootstrapPending: boolean;
  /** The report is the previous view's. */
  stale: boolean;
  ms: number | null;
}

/**
 * The verdict and the numbers behind it. Each figure carries its exact value in `data-value`,
 * so tests compare the page with `evalbench compare --json` bit for bit.
 */
export function Headline({ report, pending, bootstrapPending, stale, ms }: Props) {
  const s = report.scale;
  const boot = report.ci_bootstrap;
  const level = Math.round((1 - report.settings.alpha) * 100);
  return (
    <section className="headline" data-testid="headline" aria-busy={pending} data-stage={stale ? "stale" : bootstrapPending ? "analytic" : "final"}>
      <p className={`verdict ${report.verdict.direction}`} data-testid="verdict" data-direction={report.verdict.direction}>
        {report.verdict.text}
        {bootstrapPending && <span className="faint" data-testid="bootstrap-pending"> (analytic CI; bootstrap running…)</span>}
      </p>
      {report.unpaired ? <Unpaired report={report} /> : (
        <div className="stats">
          <div className="stat">
            <span className="stat-label">A / B</span>
            <span className="stat-value big-pair">
              <span data-testid="stat-mean-a" data-value={JSON.stringify(report.mean_a)}>{formatMean(report.mean_a, s)}</span>
              <span className="faint"> / </span>
              <span data-testid="stat-mean-b" data-value={JSON.stringify(report.mean_b)}>{formatMean(report.mean_b, s)}</span>
            </span>
          </div>
          <Stat name="delta" label={`Δ A − B (${unitLabel(s)})`} value={report.delta} text={formatDiff(report.delta, s, true)} big />
          {bootstrapPending ? (
            <Stat name="ci-bootstrap" label={`${level}% CI, paired bootstrap`} value={null} text="computing…" big />
          ) : (
            <Stat
              name="ci-bootstrap"
              label={boot ? `${level}% CI, paired bootstrap ${boot.method === "bca" ? "BCa" : "percentile"}${boot.level === "cluster" ? ", clustered" : ""}` : `${level}% CI`}
              value={boot ? [boot.lo, boot.hi] : null}
              text={formatInterval(headlineCi(report), s)}
              big
            />
          )}
          <Stat name="ci-analytic" label={`${level}% CI, analytic`} value={report.ci_analytic} text={formatInterval(report.ci_analytic, s)} />
          <Stat name="p-value" label={`p (${report.p_value ? P_METHODS[report.p_value.method] : "paired"})`} value={report.p_value?.value ?? null} text={formatP(report.p_value?.value)} />
          <Stat name="p-normal" label="p (normal approx.)" value={report.p_normal} text={formatP(report.p_normal)} />
          <Stat name="mde" label="MDE (80% power)" value={report.mde} text={formatDiff(report.mde, s)} />
          <Stat name="r" label="correlation r" value={report.r} text={report.r === null ? "—" : report.r.toFixed(3)} />
        </div>
      )}
      {report.clustered && !report.unpaired && (
        <div className="stats clustered" data-testid="clustered">
          <Stat name="n-clusters" label="clusters" value={report.clustered.n_clusters} text={formatCount(report.clustered.n_clusters)} />
          <Stat name="ci-clustered" label={`${level}% CI, clustered (CR1)`} value={report.clustered.ci_analytic} text={formatInterval(report.clustered.ci_analytic, s)} />
          <Stat name="mde-clustered" label="MDE, clustered" value={report.clustered.mde} text={formatDiff(report.clustered.mde, s)} />
          <Stat name="design-effect" label="design effect" value={report.clustered.design_effect} text={report.clustered.design_effect?.toFixed(2) ?? "—"} />
        </div>
      )}
      <div className="counts">
        <Count name="n-shared" label="shared" value={report.n_shared} />
        <Count name="n-only-a" label="only in A" value={report.n_only_a} />
        <Count name="n-only-b" label="only in B" value={report.n_only_b} />
        <Count name="n-mismatched" label="mismatched (excluded)" value={report.n_mismatched} warn={report.n_mismatched > 0} />
        <Count name="n-unscored" label="unscored in A or B" value={report.n_unscored} />
        <span className="spacer" />
        <span className="faint" data-testid="stats-settings">
          seed {report.settings.seed} · B = {formatCount(report.settings.B)} · α = {report.settings.alpha}
          {ms !== null && ` · ${Math.round(ms)} ms in a worker${bootstrapPending ? " (analytic)" : ""}`}
          {report.warnings.length > 0 && ` · warnings: ${report.warnings.join(", ")}`}
        </span>
      </div>
    </section>
  );
}

function Unpaired({ report }: { report: CompareReport }) {
  const u = report.unpaired!;
  const s = report.scale;
  return (
    <div className="stats" data-testid="unpaired">
      <Stat name="unpaired-delta" label={`Δ A − B, unpaired (${unitLabel(s)})`} value={u.delta} text={formatDiff(u.delta, s, true)} big />
      <Stat name="unpaired-ci" label="95% CI, unpaired" value={u.ci} text={formatInterval(u.ci, s)} big />
      <Stat name="unpaired-p" label="p (normal approx.)" value={u.p_normal} text={formatP(u.p_normal)} />
      <Stat name="unpaired-mde" label="MDE (80% power)" value={u.mde} text={formatDiff(u.mde, s)} />
      <Stat name="n-a" label="n A" value={u.n_a} text={formatCount(u.n_a)} />
      <Stat name="n-b" label="n B" value={u.n_b} text={formatCount(u.n_b)} />
    </div>
  );
}

function Stat({ name, label, value, text, big }: { name: string; label: ReactNode; value: unknown; text: string; big?: boolean }) {
  return (
    <div className={big ? "stat big" : "stat"} data-testid={`stat-${name}`} data-value={JSON.stringify(value)}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{text}</span>
    </div>
  );
}

function Count({ name, label, value, warn }: { name: string; label: string; value: number; warn?: boolean }) {
  return (
    <span className={warn ? "count warn" : "count"} data-testid={`stat-${name}`} data-value={value}>
      <b>{formatCount(value)}</b> {label}
    </span>
  );
}
