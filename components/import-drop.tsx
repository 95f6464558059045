"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type ChangeEvent, type DragEvent, type FormEvent } from "react";
import { AppLink } from "@/components/app-link";
import { FORMATS } from "@/lib/importers/types";
import styles from "./import-drop.module.css";

interface Preview {
  token: string;
  formats: string[];
  runs: { run_id: string; task: string; model: string; checkpoint: string | null; records: number; exists: boolean }[];
  skipped: { file: string; where: string; reason: string }[];
}

type Phase = { kind: "idle" } | { kind: "busy"; what: string } | { kind: "preview"; preview: Preview } | { kind: "done"; created: string[]; existing: string[] };

const TABLE_FIELDS = ["id", "score", "response", "target", "prompt", "subtask", "cluster"] as const;

async function call<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.ok) return JSON.parse(text) as T;
  // the routes answer JSON errors; the proxy (token, host, size limits) answers a plain line
  let error: string | undefined;
  try {
    error = JSON.parse(text).error;
  } catch {
    error = text.trim();
  }
  throw new Error(error || `the server answered ${response.status}`);
}

/** Options as the import API takes them, read from the form's fields. */
function readOptions(form: HTMLFormElement) {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? "");
  return {
    format: text("format") || undefined,
    modelName: text("modelName"),
    checkpoint: text("checkpoint"),
    step: text("step") === "" ? undefined : text("step"),
    task: text("task"),
    skipBadRows: data.get("skipBadRows") === "on",
    table: Object.fromEntries(TABLE_FIELDS.map((field) => [field, text(`table.${field}`)])),
  };
}

/**
 * Import results of other tools: drop their files, see what was detected and what runs would be
 * created, then confirm. Nothing is written before the confirmation, and an import is all or nothing.
 */
export function ImportDrop() {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  const run = async (what: string, action: () => Promise<void>) => {
    setError(null);
    const before = phase;
    setPhase({ kind: "busy", what });
    try {
      await action();
    } catch (failure) {
      setError((failure as Error).message);
      setPhase(before.kind === "preview" ? before : { kind: "idle" });
    }
  };

  const upload = (files: File[]) =>
    run("Reading the files…", async () => {
      const body = new FormData();
      for (const file of files) body.append("files", file);
      body.append("options", JSON.stringify(readOptions(form.current!)));
      setPhase({ kind: "preview", preview: await call<Preview>("/api/imports", { method: "POST", body }) });
    });

  const send = (token: string, confirm: boolean) =>
    run(confirm ? "Importing…" : "Detecting again…", async () => {
      const init = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ options: readOptions(form.current!), confirm }) };
      if (!confirm) return setPhase({ kind: "preview", preview: await call<Preview>(`/api/imports/${token}`, init) });
      const result = await call<{ created: string[]; existing: string[] }>(`/api/imports/${token}`, init);
      setPhase({ kind: "done", ...result });
      router.refresh();
    });

  const cancel = async (token: string) => {
    setPhase({ kind: "idle" });
    await fetch(`/api/imports/${token}`, { method: "DELETE" });
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (event.dataTransfer.files.length > 0) void upload([...event.dataTransfer.files]);
  };

  const onChoose = (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    // cleared, so choosing the same files again (after fixing a label, say) is a new choice
    event.target.value = "";
    if (files.length > 0) void upload(files);
  };

  const busy = phase.kind === "busy";
  const preview = phase.kind === "preview" ? phase.preview : null;
  const fresh = preview?.runs.filter((r) => !r.exists).length ?? 0;

  return (
    <section className={styles.section} data-testid="import">
      <h2>Import results from another tool</h2>
      <form ref={form} onSubmit={(e: FormEvent) => e.preventDefault()}>
        <div
          className={`${styles.dropzone}${dragging ? ` ${styles.over}` : ""}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <p>
            Drop lm-eval-harness (<code>samples_*.jsonl</code> + <code>results_*.json</code>), Inspect (<code>.eval</code>, <code>.json</code>), olmo-eval, EvalPlus or
            table files here, or{" "}
            <label className={styles.chooser}>
              choose files
              <input type="file" multiple hidden data-testid="import-files" disabled={busy} onChange={onChoose} />
            </label>
            .
          </p>
          {busy && <p className="muted">{phase.what}</p>}
        </div>
        <label className={styles.format}>
          Format{" "}
          <select name="format" defaultValue="" data-testid="import-format">
            <option value="">detect from the files</option>
            {FORMATS.map((format) => (
              <option key={format} value={format}>
                {format}
              </option>
            ))}
          </select>
        </label>
        <details>
          <summary>Labels and table mapping</summary>
          <div className={styles.fields}>
            <label>
              Model name <input name="modelName" placeholder="from the source" />
            </label>
            <label>
              Checkpoint <input name="checkpoint" placeholder="e.g. step-20000" />
            </label>
            <label>
              Step <input name="step" inputMode="numeric" />
            </label>
            <label>
              Task <input name="task" placeholder="from the source" />
            </label>
            <label className={styles.check}>
              <input type="checkbox" name="skipBadRows" /> skip rows that cannot be read
            </label>
          </div>
          <p className="muted">For a generic table, SQL expressions over its columns (see docs/importing.md), e.g. id <code>question_id</code>, score <code>pred = answer</code>:</p>
          <div className={styles.fields}>
            {TABLE_FIELDS.map((field) => (
              <label key={field}>
                {field} <input name={`table.${field}`} className="mono" />
              </label>
            ))}
          </div>
        </details>
      </form>
      {error && (
        <p className="callout error" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
      {preview && (
        <div className="callout" data-testid="import-preview">
          <p>
            Detected <strong>{preview.formats.join(", ")}</strong>: {preview.runs.length} run{preview.runs.length === 1 ? "" : "s"}
            {preview.skipped.length > 0 && `, ${preview.skipped.length} rows skipped`}.
          </p>
          <table className={styles.plain}>
            <thead>
              <tr>
                <th>run</th>
                <th>task</th>
                <th>model</th>
                <th>checkpoint</th>
                <th className={styles.num}>questions</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {preview.runs.map((r) => (
                <tr key={r.run_id}>
                  <td className="mono">{r.run_id}</td>
                  <td>{r.task}</td>
                  <td>{r.model}</td>
                  <td>{r.checkpoint ?? "–"}</td>
                  <td className={styles.num}>{r.records}</td>
                  <td>{r.exists ? "already imported" : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.skipped.length > 0 && (
            <ul className="muted">
              {preview.skipped.slice(0, 10).map((s, i) => (
                <li key={i}>
                  {s.file} {s.where}: {s.reason}
                </li>
              ))}
            </ul>
          )}
          <div className={styles.actions}>
            <button type="button" className="button primary" disabled={busy || fresh === 0} onClick={() => void send(preview.token, true)} data-testid="import-confirm">
              Import {fresh} run{fresh === 1 ? "" : "s"}
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => void send(preview.token, false)}>
              Detect again with these labels
            </button>
            <button type="button" className="button" disabled={busy} onClick={() => void cancel(preview.token)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {phase.kind === "done" && (
        <div className="callout" role="status" data-testid="import-done">
          <p>
            Imported {phase.created.length} run{phase.created.length === 1 ? "" : "s"}
            {phase.existing.length > 0 && ` (${phase.existing.length} already there)`}:
          </p>
          <ul>
            {[...phase.created, ...phase.existing].map((runId) => (
              <li key={runId}>
                <AppLink href={`/runs/${encodeURIComponent(runId)}`} className="mono" data-testid="imported-run-link">
                  {runId}
                </AppLink>
                {phase.existing.includes(runId) && <span className="muted"> (already imported)</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
