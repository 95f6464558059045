import type { ColumnBatch } from "./columns";

/** One question of a run, as its address names it: `?q=ID`, plus `&sample=N` past the first sample. */
export interface QuestionRef {
  id: string;
  sample: number;
}

/** The query string of a question's address on its run page. */
export function questionSearch({ id, sample }: QuestionRef): string {
  const params = new URLSearchParams({ q: id });
  if (sample > 0) params.set("sample", String(sample));
  return `?${params}`;
}

/** The question a run page's address names, or null when it names none or a sample that is not a whole number. */
export function parseQuestionRef(params: Record<string, string | string[] | undefined>): QuestionRef | null {
  const id = params.q;
  const sample = params.sample ?? "0";
  if (typeof id !== "string" || id === "" || typeof sample !== "string" || !/^\d{1,9}$/.test(sample)) return null;
  return { id, sample: Number(sample) };
}

/** The row holding that question and sample, or null. */
export function findQuestionRow(batch: ColumnBatch, { id, sample }: QuestionRef): number | null {
  const ids = batch.columns.instance_id ?? [];
  const samples = batch.columns.sample;
  for (let i = 0; i < batch.length; i++) {
    if (ids[i] === id && Number(samples?.[i] ?? 0) === sample) return batch.rowStart + i;
  }
  return null;
}
