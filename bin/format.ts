import type { CatalogEntry } from "@/lib/workspace/catalog";

/** A fixed-width text table: one header row, then rows, columns padded to their widest cell. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** "61.23 ± 1.54" in points, for a metric on a 0-1 scale. */
export function metricText(value: number | null, se: number | null): string {
  if (value === null) return "-";
  return se === null ? (100 * value).toFixed(2) : `${(100 * value).toFixed(2)} ± ${(100 * se).toFixed(2)}`;
}

export function catalogTable(entries: CatalogEntry[]): string {
  const rows = entries.flatMap((entry) => {
    if (!entry.ok) return [];
    const { manifest: m } = entry;
    const primary = m.metrics[m.primary_metric];
    return [[
      m.run_id,
      entry.status,
      m.task.variant ? `${m.task.name}:${m.task.variant}` : m.task.name,
      m.model.name,
      m.model.checkpoint ?? "-",
      m.model.step === null ? "-" : String(m.model.step),
      String(primary?.n ?? m.counts.done),
      `${m.primary_metric} ${metricText(primary?.value ?? null, primary?.se ?? null)}`,
    ]];
  });
  return textTable(["RUN", "STATUS", "TASK", "MODEL", "CHECKPOINT", "STEP", "N", "PRIMARY METRIC"], rows);
}
