"use client";

import type { CompareView } from "@/lib/share/view-state";

const ALPHAS = [0.1, 0.05, 0.01];

interface Props {
  view: CompareView;
  metric: string;
  metrics: string[];
  onChange: (patch: Partial<CompareView>) => void;
}

/** Statistics settings (metric, seed, bootstrap replicates, alpha); all travel in the link. */
export function SettingsBar({ view, metric, metrics, onChange }: Props) {
  // numbers apply on Enter or when the field loses focus, not on every keystroke
  const commit = (field: "seed" | "B", min: number) => (event: { currentTarget: HTMLInputElement }) => {
    const value = Number(event.currentTarget.value);
    if (Number.isInteger(value) && value >= min && value !== view[field]) onChange({ [field]: value });
    else event.currentTarget.value = String(view[field]);
  };
  return (
    <div className="toolbar settings" data-testid="settings">
      <label>
        metric
        <select aria-label="Metric" value={metric} onChange={(e) => onChange({ metric: e.target.value })}>
          {metrics.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      <label>
        seed
        <input
          key={`seed-${view.seed}`}
          aria-label="Seed"
          className="num-input"
          inputMode="numeric"
          defaultValue={view.seed}
          onBlur={commit("seed", 0)}
          onKeyDown={(e) => e.key === "Enter" && commit("seed", 0)(e)}
        />
      </label>
      <label>
        B
        <input
          key={`B-${view.B}`}
          aria-label="Bootstrap replicates"
          className="num-input"
          inputMode="numeric"
          defaultValue={view.B}
          onBlur={commit("B", 1)}
          onKeyDown={(e) => e.key === "Enter" && commit("B", 1)(e)}
        />
      </label>
      <label>
        α
        <select aria-label="Alpha" value={view.alpha} onChange={(e) => onChange({ alpha: Number(e.target.value) })}>
          {[...new Set([...ALPHAS, view.alpha])].map((alpha) => (
            <option key={alpha} value={alpha}>
              {alpha}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
