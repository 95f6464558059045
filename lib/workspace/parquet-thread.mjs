// The encoder thread behind RecordsParquetFile (parquet-file.ts), one per process: it turns the
// journal's batches into Parquet row groups while the writing thread goes on validating and
// journaling. Each file arrives as { file, options, settled, port }; on `port` come its batches of
// NDJSON text, then null to write the footer. After each message the thread bumps the file's
// shared `settled` counter, which the writing thread waits on; a failure is posted on `port` first.
import { parentPort } from "node:worker_threads";
import { fileWriter } from "hyparquet-writer";
import { RowGroupEncoder } from "./parquet-encoder.mjs";

parentPort?.on("message", ({ file, options, settled, port }) => {
  /** @type {RowGroupEncoder | null} */
  let encoder = null;
  let failed = false;
  port.on("message", (/** @type {string | null} */ batch) => {
    try {
      if (failed) return;
      encoder ??= new RowGroupEncoder(fileWriter(file), options);
      if (batch === null) encoder.finish();
      else for (const line of batch.split("\n")) if (line.length > 0) encoder.add(JSON.parse(line));
    } catch (error) {
      // Later batches are skipped: a file missing a batch in its middle must not be finished.
      failed = true;
      port.postMessage(error instanceof Error ? error.message : String(error));
    } finally {
      Atomics.add(settled, 0, 1);
      Atomics.notify(settled, 0);
    }
  });
  // The writing thread closes the port when the file is done or dropped.
  port.on("close", () => (encoder = null));
});
