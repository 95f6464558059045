import { ImportError, type SkippedRow } from "./types";

/**
 * Where a row that cannot be read goes: with --skip-bad-rows into a list reported at the end,
 * otherwise an ImportError that stops the whole import.
 */
export class BadRows {
  readonly skipped: SkippedRow[] = [];

  constructor(private readonly skip: boolean) {}

  report(file: string, where: string, reason: string): void {
    if (!this.skip) throw new ImportError(`${file} ${where}: ${reason}; fix the source, or pass --skip-bad-rows to import the other rows`);
    this.skipped.push({ file, where, reason });
  }
}
