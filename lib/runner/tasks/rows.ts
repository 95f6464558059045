import { RowError } from "../task";
import type { Row } from "../data/read-rows";

/** A row's text field, or RowError naming the missing one. */
export function text(row: Row, field: string): string {
  const value = row[field];
  if (typeof value === "string" && value.trim() !== "") return value;
  if (typeof value === "number") return String(value);
  throw new RowError(value === undefined || value === null ? `missing field "${field}"` : `field "${field}" is ${value === "" ? "empty" : `not text (${typeof value})`}`);
}

/** A row's list of texts (Parquet lists arrive as arrays; JSON too). */
export function texts(row: Row, field: string): string[] {
  const value = row[field];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string")) return value as string[];
  throw new RowError(`field "${field}" is not a non-empty list of texts`);
}

/** The data's own id when it has one (never the row position then), else the position. */
export function idOf(row: Row, field: string, fallback: string): string {
  const value = row[field];
  return value === undefined || value === null || value === "" ? fallback : String(value);
}

/** Index of the gold choice from a 0-based index, a letter (A-) or a 1-based digit label set. */
export function goldIndex(answer: unknown, choices: number, labels?: string[]): number {
  const raw = String(answer ?? "").trim();
  const fromLabels = labels?.indexOf(raw) ?? -1;
  const index = fromLabels >= 0 ? fromLabels : /^[A-Z]$/.test(raw) ? raw.charCodeAt(0) - 65 : /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(index >= 0 && index < choices)) throw new RowError(`answer "${raw}" is not one of the ${choices} choices`);
  return index;
}
