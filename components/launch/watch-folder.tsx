"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { listWatchers, startWatcherFromForm, stopWatcher } from "@/app/launch/actions";
import type { HarnessChoice } from "@/lib/launch/catalog";
import type { FieldErrors } from "@/lib/launch/request";
import type { WatcherView } from "@/lib/cluster/watcher-view";
import { formatTime } from "../format";
import { StatusBadge } from "../status-badge";
import { ExecutorFields, type BucketWorkspace } from "./executor-fields";
import { Field, ServeTemplateView } from "./launch-form";

/** The watch form's ids and error test ids start with this, apart from the launch form's. */
const P = "w-";

/** The form that starts a watcher: a folder of this server, which checkpoint folders, what each runs, and the preset's model server. */
function WatchForm({ presets, bucket, onStarted }: { presets: HarnessChoice[]; bucket: BucketWorkspace | null; onStarted: (watchers: WatcherView[]) => void }) {
  const serving = presets.filter((p) => p.serve !== null);
  const [harness, setHarness] = useState(serving[0]?.name ?? "");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, start] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  const serve = serving.find((p) => p.name === harness)?.serve ?? null;
  const input = (name: string, props: Record<string, unknown> = {}) => <input id={`${P}f-${name}`} name={name} aria-invalid={Boolean(errors[name])} aria-describedby={errors[name] ? `${P}err-${name}` : undefined} {...props} />;
  const field = { errors, prefix: P };
  if (serving.length === 0) {
    return (
      <p className="callout" data-testid="watch-no-preset">
        No harness preset of this server starts a model server, and a watcher needs one per checkpoint: add a preset with <code>serve</code> to the server&apos;s harness file (<code>EVALBENCH_HARNESS_FILE</code>, see docs/cluster.md) and reload this page.
      </p>
    );
  }
  return (
    <form
      ref={form}
      className="launch-form"
      data-testid="watch-form"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        start(async () => {
          const answer = await startWatcherFromForm(data);
          setErrors(answer.errors);
          if (Object.keys(answer.errors).length === 0) onStarted(answer.watchers);
        });
      }}
    >
      <div className="field-grid">
        <Field name="folder" label="Folder on this server" hint="its full path; the trainer writes one folder per checkpoint into it" {...field}>
          {input("folder", { placeholder: "/ckpts/olmo-1b" })}
        </Field>
        <Field name="pattern" label="Checkpoint folder names" hint="* matches anything, {step} the step's digits (without it, the step is the name's last number)" {...field}>
          {input("pattern", { defaultValue: "step{step}" })}
        </Field>
        <Field name="ready_file" label="Ready file" hint="a file the trainer writes last, e.g. done; empty: a folder counts once its listing stops changing" {...field}>
          {input("ready_file", { placeholder: "done" })}
        </Field>
        <Field name="tasks" label="Tasks or suites" hint="separated by spaces, e.g. gsm8k mmlu:rc" {...field}>
          {input("tasks", { placeholder: "gsm8k" })}
        </Field>
        <Field name="model_name" label="Model name of the runs" hint="the line the series page follows, e.g. olmo-1b" {...field}>
          {input("model_name")}
        </Field>
        <Field name="harness" label="Harness preset (starts the model server)" {...field}>
          <select id={`${P}f-harness`} name="harness" value={harness} onChange={(e) => setHarness(e.target.value)}>
            {serving.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}: {p.description}
              </option>
            ))}
          </select>
        </Field>
        {serve && <ServeTemplateView preset={harness} serve={serve} />}
        <Field name="overrides" label="Overrides, one key=value per line" hint="task fields (fewshot.n=0) or harness.timeout_ms, ..." {...field}>
          <textarea id={`${P}f-overrides`} name="overrides" rows={2} aria-invalid={Boolean(errors.overrides)} />
        </Field>
        <Field name="limit" label="Limit (questions per task)" {...field}>
          {input("limit", { inputMode: "numeric" })}
        </Field>
        <Field name="concurrency" label="Concurrency (requests at once)" {...field}>
          {input("concurrency", { inputMode: "numeric" })}
        </Field>
        <Field name="data" label="Task data" {...field}>
          <select id={`${P}f-data`} name="data" defaultValue="auto">
            <option value="auto">auto: local folder, else the hub</option>
            <option value="local">local folder only</option>
            <option value="hub">the hub (download)</option>
          </select>
        </Field>
      </div>
      <ExecutorFields errors={errors} prefix={P} what="each checkpoint is evaluated" bucket={bucket} />
      {errors.form && (
        <p className="callout error" role="alert" data-testid="w-error-form">
          {errors.form}
        </p>
      )}
      <div className="toolbar">
        <button type="submit" className="button primary" disabled={pending} data-testid="watch-submit">
          {pending ? "Starting…" : "Start watching"}
        </button>
        {Object.keys(errors).length > 0 && <span className="field-error">{Object.keys(errors).length === 1 ? "1 field needs a fix" : `${Object.keys(errors).length} fields need a fix`}</span>}
      </div>
    </form>
  );
}

function WatcherRow({ watcher, onChange }: { watcher: WatcherView; onChange: (watchers: WatcherView[]) => void }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const { counts } = watcher;
  return (
    <tr data-testid="watcher-row" data-state={watcher.state} data-seen={counts.seen} data-evaluated={counts.evaluated} data-failed={counts.failed}>
      <td>
        <StatusBadge status={watcher.state} />
      </td>
      <td className="watcher-folder">
        <span className="mono">{watcher.folder}</span>
        <div className="faint">
          folders <span className="mono">{watcher.pattern}</span>
          {watcher.readyFile ? (
            <>
              {" "}
              holding <span className="mono">{watcher.readyFile}</span>
            </>
          ) : (
            " once unchanged"
          )}
        </div>
      </td>
      <td>
        <span className="mono">{watcher.tasks.join(" ")}</span>
        <div className="faint">
          harness {watcher.harness}, {watcher.executor === "slurm" ? "a Slurm job per checkpoint" : "run on this server"}
        </div>
      </td>
      <td className="num" title="checkpoint folders handed over / evaluated / being evaluated or queued / failed">
        <span data-testid="watcher-counts">
          {counts.seen} seen · {counts.evaluated} evaluated · {counts.evaluating} in progress · {counts.failed} failed
        </span>
      </td>
      <td className="watcher-event">
        {watcher.lastEvent && <span className="mono faint">{watcher.lastEvent}</span>}
        {watcher.errors.map((e) => (
          <div key={e} className="field-error" data-testid="watcher-error">
            {e}
          </div>
        ))}
      </td>
      <td className="faint">
        {formatTime(watcher.createdAt)}
        {watcher.endedAt && <div>ended {formatTime(watcher.endedAt)}</div>}
      </td>
      <td>
        {watcher.state === "watching" && (
          <button
            type="button"
            className="button"
            disabled={pending}
            data-testid="stop-watcher"
            onClick={() =>
              start(async () => {
                const answer = await stopWatcher(watcher.id);
                setError(answer.error);
                onChange(answer.watchers);
              })
            }
          >
            Stop
          </button>
        )}
        {error && (
          <span className="field-error" role="alert">
            {error}
          </span>
        )}
      </td>
    </tr>
  );
}

/** How often the list is refreshed while a watcher is active. */
const REFRESH_MS = 2000;

/**
 * "Watch a folder": the watchers started from this page (listed with their state, stoppable), and
 * the form that starts one. They run as children of the server and start again with it.
 */
export function WatchFolder({ presets, initial, bucket }: { presets: HarnessChoice[]; initial: WatcherView[]; bucket: BucketWorkspace | null }) {
  const [watchers, setWatchers] = useState(initial);
  const [open, setOpen] = useState(false);
  const active = watchers.some((w) => w.state === "watching" || w.state === "stopping");
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => void listWatchers().then(setWatchers), REFRESH_MS);
    return () => clearInterval(timer);
  }, [active]);
  return (
    <section className="watch-folder" data-testid="watch-folder">
      <div className="page-head">
        <h2>Watch a folder</h2>
        <span className="muted">Evaluates each new checkpoint folder once, as the trainer writes it, with a harness preset&apos;s model server. Watchers run on this server and start again when it restarts.</span>
      </div>
      {watchers.length > 0 && (
        <table className="grid watchers" data-testid="watchers">
          <thead>
            <tr>
              <th>State</th>
              <th>Folder</th>
              <th>Runs</th>
              <th className="num">Checkpoints</th>
              <th title="the watcher's latest line of output: a new checkpoint, a job queued, a run's result">Last output</th>
              <th>Started</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {watchers.map((w) => (
              <WatcherRow key={w.id} watcher={w} onChange={setWatchers} />
            ))}
          </tbody>
        </table>
      )}
      {open ? (
        <WatchForm
          bucket={bucket}
          presets={presets}
          onStarted={(list) => {
            setWatchers(list);
            setOpen(false);
          }}
        />
      ) : (
        <button type="button" className="button" data-testid="open-watch-form" onClick={() => setOpen(true)}>
          Watch a folder…
        </button>
      )}
    </section>
  );
}
