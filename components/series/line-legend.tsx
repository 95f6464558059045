import { lineColor } from "./colors";

/** The lines' names in their chart colours, the first marked as the baseline when there are several. */
export function LineLegend({ models }: { models: readonly string[] }) {
  return (
    <span className="legend-lines">
      {models.map((model, i) => (
        <span key={model} className="line-chip" data-testid="line-chip">
          <i style={{ background: lineColor(i) }} />
          {model}
          {i === 0 && models.length > 1 && <span className="badge">baseline</span>}
        </span>
      ))}
    </span>
  );
}
