import type { ReactNode } from "react";
import { headlineCi } from "@/lib/compare/markdown";
import { WARNING_TEXT } from "@/lib/compare/explain";
import type { CompareReport } from "@/lib/compare/report";
import { formatCount } from "../format";
import { Explained } from "./explained";
import { formatDiff, formatInterval, formatMean, formatP, unitLabel } from "./numbers";

const P_METHODS: Record<string, ReactNode> = {
  mcnemar_exact: <Explained term="mcnemar">p (exact McNemar)</Explained>,
  sign_flip_exact: <Explained term="signFlip">p (sign-flip, exact)</Explained>,
  sign_flip_monte_carlo: <Explained term="signFlip">p (sign-flip, Monte Carlo)</Explained>,
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
      {report.unpaired ? <Unpaired report={report} /> : report.n_shared === 0 ? null : (
        <div className="stats">
          <div className="stat">
            <span className="stat-label">candidate / baseline ({s === 100 ? "%" : "mean score"})</span>
            <span className="stat-value big-pair">
              <span data-testid="stat-mean-candidate" data-value={JSON.stringify(report.mean_candidate)}>{formatMean(report.mean_candidate, s)}</span>
              <span className="faint"> / </span>
              <span data-testid="stat-mean-baseline" data-value={JSON.stringify(report.mean_baseline)}>{formatMean(report.mean_baseline, s)}</span>
            </span>
          </div>
          <Stat name="delta" label={`Δ candidate − baseline (${unitLabel(s)})`} value={report.delta} text={formatDiff(report.delta, s, true)} big />
          {bootstrapPending ? (
            <Stat name="ci-bootstrap" label={`${level}% CI, paired bootstrap`} value={null} text="computing…" big />
          ) : (
            <Stat
              name="ci-bootstrap"
              label={boot ? <Explained term="bca">{`${level}% CI, paired bootstrap ${boot.method === "bca" ? "BCa" : "percentile"}${boot.level === "cluster" ? ", clustered" : ""}`}</Explained> : `${level}% CI`}
              value={boot ? [boot.lo, boot.hi] : null}
              text={formatInterval(headlineCi(report), s)}
              big
            />
          )}
          <Stat name="ci-analytic" label={<Explained term="interval">{`${level}% CI, analytic`}</Explained>} value={report.ci_analytic} text={formatInterval(report.ci_analytic, s)} />
          <Stat name="p-value" label={report.p_value ? P_METHODS[report.p_value.method] : "p (paired)"} value={report.p_value?.value ?? null} text={formatP(report.p_value?.value)} />
          <Stat name="p-normal" label="p (normal approx.)" value={report.p_normal} text={formatP(report.p_normal)} />
          <Stat name="mde" label={<Explained term="mde">MDE (80% power, {unitLabel(s)})</Explained>} value={report.mde} text={formatDiff(report.mde, s)} />
          <Stat name="r" label={<Explained term="r">correlation r</Explained>} value={report.r} text={report.r === null ? "—" : report.r.toFixed(3)} />
        </div>
      )}
      {report.clustered && !report.unpaired && (
        <div className="stats clustered" data-testid="clustered">
          <Stat name="n-clusters" label="clusters" value={report.clustered.n_clusters} text={formatCount(report.clustered.n_clusters)} />
          <Stat name="ci-clustered" label={<Explained term="cr1">{`${level}% CI, clustered (CR1)`}</Explained>} value={report.clustered.ci_analytic} text={formatInterval(report.clustered.ci_analytic, s)} />
          <Stat name="mde-clustered" label={<Explained term="mde">MDE, clustered</Explained>} value={report.clustered.mde} text={formatDiff(report.clustered.mde, s)} />
          <Stat name="design-effect" label={<Explained term="designEffect">design effect</Explained>} value={report.clustered.design_effect} text={report.clustered.design_effect?.toFixed(2) ?? "—"} />
        </div>
      )}
      <div className="counts">
        <Count name="n-shared" label="shared" value={report.n_shared} />
        <Count name="n-only-candidate" label="only in the candidate" value={report.n_only_candidate} />
        <Count name="n-only-baseline" label="only in the baseline" value={report.n_only_baseline} />
        <Count name="n-mismatched" label="mismatched (excluded)" value={report.n_mismatched} warn={report.n_mismatched > 0} />
        <Count name="n-unscored" label="unscored in either run" value={report.n_unscored} />
        <span className="spacer" />
        <span className="faint" data-testid="stats-settings">
          seed {report.settings.seed} · <Explained term="resamples">{formatCount(report.settings.B)} resamples</Explained> · α = {report.settings.alpha}
          {ms !== null && ` · ${Math.round(ms)} ms in a worker${bootstrapPending ? " (analytic)" : ""}`}
        </span>
      </div>
      {report.warnings.length > 0 && (
        <ul className="warnings" data-testid="stats-warnings">
          {report.warnings.map((code) => (
            <li key={code} data-code={code}>
              {WARNING_TEXT[code]}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Unpaired({ report }: { report: CompareReport }) {
  const u = report.unpaired!;
  const s = report.scale;
  const level = Math.round((1 - report.settings.alpha) * 100);
  return (
    <div className="stats" data-testid="unpaired">
      <Stat name="unpaired-delta" label={`Δ candidate − baseline, unpaired (${unitLabel(s)})`} value={u.delta} text={formatDiff(u.delta, s, true)} big />
      <Stat name="unpaired-ci" label={<Explained term="interval">{`${level}% CI, unpaired`}</Explained>} value={u.ci} text={formatInterval(u.ci, s)} big />
      <Stat name="unpaired-p" label="p (normal approx.)" value={u.p_normal} text={formatP(u.p_normal)} />
      <Stat name="unpaired-mde" label={<Explained term="mde">MDE (80% power)</Explained>} value={u.mde} text={formatDiff(u.mde, s)} />
      <Stat name="n-candidate" label="n candidate" value={u.n_candidate} text={formatCount(u.n_candidate)} />
      <Stat name="n-baseline" label="n baseline" value={u.n_baseline} text={formatCount(u.n_baseline)} />
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
