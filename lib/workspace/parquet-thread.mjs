// The encoder thread behind RecordsParquetFile (parquet-file.ts), one per process: it turns the
// journal's batches into Parquet row groups while the writing thread goes on validating and
// journaling. Each run arrives as { targets, settled, port }: the files to write from the same
// rows (records.parquet and compare.parquet), each { file, options }. On `port` come batches of
// NDJSON text, then null to write the footers. After each message the thread bumps the run's
// shared `settled` counter, which the writing thread waits on; a failure is posted on `port` first.
import { parentPort } from "node:worker_threads";
import { fileWriter } from "hyparquet-writer";
import { RowGroupEncoder } from "./parquet-encoder.mjs";

parentPort?.on("message", ({ targets, settled, port }) => {
  /** @type {RowGroupEncoder[] | null} */
  let encoders = null;
  let failed = false;
  port.on("message", (/** @type {string | null} */ batch) => {
    try {
      if (failed) return;
      encoders ??= targets.map((/** @type {{ file: string, options: any }} */ t) => new RowGroupEncoder(fileWriter(t.file), t.options));
      if (batch === null) for (const encoder of encoders) encoder.finish();
      else {
        for (const line of batch.split("\n")) {
          if (line.length === 0) continue;
          const row = JSON.parse(line);
          for (const encoder of encoders) encoder.add(row);
        }
      }
    } catch (error) {
      // Later batches are skipped: a file missing a batch in its middle must not be finished.
      failed = true;
      port.postMessage(error instanceof Error ? error.message : String(error));
    } finally {
      Atomics.add(settled, 0, 1);
      Atomics.notify(settled, 0);
    }
  });
  // The writing thread closes the port when the files are done or dropped.
  port.on("close", () => (encoders = null));
});
