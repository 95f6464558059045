"use client";

import type { CompareView } from "@/lib/share/view-state";

const ALPHAS = [0.1, 0.05, 0.01];

interface Props {
  view: CompareView;
  metric: string;
  metrics: string[];
  onChange: (patch: Partial<CompareView>) => void;
}

/** Statistics settings (metric, seed, bootstrap resamples, alpha); all travel in the link. */
export function SettingsBar({ view, metric, metrics, onChange }: Props) {
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
      <IntegerSetting label="seed" ariaLabel="Seed" field="seed" min={0} view={view} onChange={onChange} />
      <IntegerSetting label="resamples" ariaLabel="Bootstrap resamples" field="B" min={1} view={view} onChange={onChange} />
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

interface IntegerSettingProps {
  label: string;
  ariaLabel: string;
  field: "seed" | "B";
  min: number;
  view: CompareView;
  onChange: (patch: Partial<CompareView>) => void;
}

/** A whole-number setting; it applies on Enter or when the field loses focus, not on every keystroke. */
function IntegerSetting({ label, ariaLabel, field, min, view, onChange }: IntegerSettingProps) {
  const commit = (event: { currentTarget: HTMLInputElement }) => {
    const value = Number(event.currentTarget.value);
    if (Number.isInteger(value) && value >= min && value !== view[field]) onChange({ [field]: value });
    else event.currentTarget.value = String(view[field]);
  };
  return (
    <label>
      {label}
      <input
        key={`${field}-${view[field]}`}
        aria-label={ariaLabel}
        className="num-input"
        inputMode="numeric"
        defaultValue={view[field]}
        onBlur={commit}
        onKeyDown={(e) => e.key === "Enter" && commit(e)}
      />
    </label>
  );
}
