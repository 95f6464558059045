"use client";

import { useRef, useState, useTransition, type ReactNode } from "react";
import { launchFromForm, testEndpointFromForm } from "@/app/launch/actions";
import type { EndpointTest } from "@/lib/launch/launcher";
import type { HarnessChoice, TaskChoice } from "@/lib/launch/catalog";
import type { OfferedKey } from "@/lib/launch/keys";
import type { FieldErrors } from "@/lib/launch/request";
import { ExecutorFields, type BucketWorkspace } from "./executor-fields";

/** A labelled field with the server's complaint about it, if any, right under it. `prefix` keeps ids apart when two forms share a page. */
export function Field({ name, label, errors, hint, prefix = "", children }: { name: string; label: string; errors: FieldErrors; hint?: string; prefix?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={`${prefix}f-${name}`}>{label}</label>
      {children}
      {hint && <span className="faint">{hint}</span>}
      {errors[name] && (
        <span className="field-error" id={`${prefix}err-${name}`} role="alert" data-testid={`${prefix}error-${name}`}>
          {errors[name]}
        </span>
      )}
    </div>
  );
}

/** A preset's model server as it will run, read-only: it comes from the server's harness file. */
export function ServeTemplateView({ preset, serve }: { preset: string; serve: NonNullable<HarnessChoice["serve"]> }) {
  return (
    <div className="field serve-template" data-testid="serve-template">
      <span className="label">Model server per checkpoint (from harness preset {preset}, read-only)</span>
      <pre className="text-block">{serve.command}</pre>
      <span className="faint">
        {"{checkpoint}"} is the checkpoint&apos;s folder or hub id, quoted for the shell; {"{port}"} a free port. The runs wait up to {serve.timeout_s} s for it to answer /v1/models, and stop it when done. Change it in the server&apos;s harness file (EVALBENCH_HARNESS_FILE).
      </span>
    </div>
  );
}

/** The server's data folder (EVALBENCH_DATA) and the task folders in it. */
export interface LocalData {
  dir: string | null;
  tasks: string[];
}

/** Tasks and suites from the registry, searchable, picked by checkbox; tasks with local data say so. */
function TaskPicker({ tasks, errors, local }: { tasks: TaskChoice[]; errors: FieldErrors; local: string[] }) {
  const [search, setSearch] = useState("");
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (t: TaskChoice) => words.every((w) => `${t.spec} ${t.kind} ${t.description}`.toLowerCase().includes(w));
  return (
    <fieldset className="field task-picker" aria-describedby={errors.tasks ? "err-tasks" : undefined}>
      <legend>Tasks and suites</legend>
      <input type="search" placeholder="search tasks, variants, suites" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search tasks" />
      <div className="task-list">
        {tasks.map((t) => (
          // hidden, not removed: a checked task stays checked while the search changes
          <label key={t.spec} hidden={!matches(t)} className="task-choice">
            <input type="checkbox" name="tasks" value={t.spec} />
            <span className="mono">{t.spec}</span>
            <span className="faint">{t.kind}</span>
            <span className="muted">
              {t.description}
              {t.kind !== "suite" && local.includes(t.spec.split(":")[0]) && <span className="badge local-data">local data</span>}
            </span>
          </label>
        ))}
      </div>
      {errors.tasks && (
        <span className="field-error" id="err-tasks" role="alert" data-testid="error-tasks">
          {errors.tasks}
        </span>
      )}
    </fieldset>
  );
}

/**
 * The launch form. It is submitted by hand rather than through `action`, so that fields keep what
 * was typed when the server sends errors back; every check that matters runs on the server.
 */
export function LaunchForm({ tasks, harnesses, keys, data, bucket }: { tasks: TaskChoice[]; harnesses: HarnessChoice[]; keys: OfferedKey[]; data: LocalData; bucket: BucketWorkspace | null }) {
  const [mode, setMode] = useState<"single" | "series">("single");
  const [harness, setHarness] = useState("default");
  // the preset's model server, shown as it will run; the browser never sends a command
  const serve = harnesses.find((h) => h.name === harness)?.serve ?? null;
  const [errors, setErrors] = useState<FieldErrors>({});
  const [test, setTest] = useState<EndpointTest | null>(null);
  const [pending, start] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  const runTest = () =>
    start(async () => {
      setTest(null);
      const answer = await testEndpointFromForm(new FormData(form.current!));
      setErrors(answer.errors);
      setTest(answer.test);
    });
  const input = (name: string, props: Record<string, unknown> = {}) => (
    <input id={`f-${name}`} name={name} aria-invalid={Boolean(errors[name])} aria-describedby={errors[name] ? `err-${name}` : undefined} {...props} />
  );

  return (
    <form
      ref={form}
      className="launch-form"
      data-testid="launch-form"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        start(async () => {
          setTest(null);
          setErrors((await launchFromForm({ errors: {} }, form)).errors);
        });
      }}
    >
      <div className="toolbar" role="radiogroup" aria-label="What to run">
        <label>
          <input type="radio" name="mode" value="single" checked={mode === "single"} onChange={() => setMode("single")} /> One checkpoint
        </label>
        <label>
          <input type="radio" name="mode" value="series" checked={mode === "series"} onChange={() => setMode("series")} /> Evaluate a checkpoint series
        </label>
      </div>
      <TaskPicker tasks={tasks} errors={errors} local={data.tasks} />
      <div className="field-grid">
        <Field name="endpoint" label="Endpoint (OpenAI-compatible)" errors={errors} hint={serve ? `not used: harness ${harness} starts a model server per checkpoint (below)` : undefined}>
          {input("endpoint", { placeholder: "http://127.0.0.1:8000/v1", disabled: serve !== null })}
        </Field>
        <Field name="model_name" label="Model name" errors={errors} hint="label of the runs, e.g. olmo-1b">
          {input("model_name")}
        </Field>
        <Field name="served_model" label="Served model id" errors={errors} hint={mode === "series" ? "default for checkpoints whose line names none" : "default: the endpoint's only model"}>
          {input("served_model")}
        </Field>
        {mode === "single" ? (
          <>
            <Field name="checkpoint" label="Checkpoint" errors={errors} hint={serve ? "what the model server loads: a folder on this server or a hub id, e.g. /ckpts/step20000; the runs are labelled by its last part" : "e.g. step-20000"}>
              {input("checkpoint")}
            </Field>
            <Field name="step" label="Step" errors={errors}>
              {input("step", { inputMode: "numeric" })}
            </Field>
          </>
        ) : (
          <Field name="checkpoints" label="Checkpoints, one per line" errors={errors} hint={serve ? "CHECKPOINT STEP [SERVED_MODEL], CHECKPOINT being the folder or hub id the model server loads: one run per task and checkpoint" : "CHECKPOINT STEP [SERVED_MODEL]: one run per task and checkpoint"}>
            <textarea id="f-checkpoints" name="checkpoints" rows={4} placeholder={"step-1000 1000 olmo-1b-step1000\nstep-2000 2000 olmo-1b-step2000"} aria-invalid={Boolean(errors.checkpoints)} />
          </Field>
        )}
        <Field name="harness" label="Harness preset" errors={errors}>
          <select id="f-harness" name="harness" value={harness} onChange={(e) => setHarness(e.target.value)}>
            {harnesses.map((h) => (
              <option key={h.name} value={h.name} title={h.description}>
                {h.name}: {h.description}
                {h.serve ? " (starts a model server)" : ""}
              </option>
            ))}
          </select>
        </Field>
        {serve && <ServeTemplateView preset={harness} serve={serve} />}
        <Field name="overrides" label="Overrides, one key=value per line" errors={errors} hint="task fields (fewshot.n=0) or harness.timeout_ms, harness.max_retries, ...">
          <textarea id="f-overrides" name="overrides" rows={3} aria-invalid={Boolean(errors.overrides)} />
        </Field>
        <Field name="limit" label="Limit (questions per task)" errors={errors}>
          {input("limit", { inputMode: "numeric" })}
        </Field>
        <Field name="concurrency" label="Concurrency (requests at once)" errors={errors}>
          {input("concurrency", { inputMode: "numeric" })}
        </Field>
        <Field
          name="data"
          label="Task data"
          errors={errors}
          hint={data.dir ? `the server's folder ${data.dir} (EVALBENCH_DATA) holds ${data.tasks.join(", ") || "no task's folder"}` : "this server has no local data folder: start it with EVALBENCH_DATA=FOLDER (a folder per task) to run offline"}
        >
          <select id="f-data" name="data" defaultValue="auto" aria-invalid={Boolean(errors.data)}>
            <option value="auto">auto: local folder, else the hub</option>
            <option value="local">local folder only</option>
            <option value="hub">the hub (download)</option>
          </select>
        </Field>
        <Field name="api_key" label="API key" errors={errors} hint="by name; the key stays on the server and goes only to the endpoints the server's EVALBENCH_KEYS_FILE allows for it">
          <select id="f-api_key" name="api_key" defaultValue="">
            <option value="">none</option>
            {keys.map(({ name, endpoints }) => (
              <option key={name} value={name}>
                {name} (for {endpoints.join(", ")})
              </option>
            ))}
          </select>
        </Field>
      </div>
      <ExecutorFields errors={errors} bucket={bucket} />
      {errors.form && (
        <p className="callout error" role="alert">
          {errors.form}
        </p>
      )}
      <div className="toolbar">
        <button type="submit" className="button primary" disabled={pending} data-testid="launch-submit">
          {pending ? "Working…" : mode === "series" ? "Launch the series" : "Launch"}
        </button>
        <button type="button" className="button" disabled={pending} onClick={runTest} data-testid="test-endpoint" title="Ask the endpoint for its models and print the plan of the picked tasks; no question is sent">
          Test endpoint
        </button>
        {Object.keys(errors).length > 0 && (
          <span className="field-error" data-testid="error-count">
            {Object.keys(errors).length === 1 ? "1 field needs a fix" : `${Object.keys(errors).length} fields need a fix`}
          </span>
        )}
      </div>
      {test && (
        <section className={test.ok ? "callout" : "callout error"} data-testid="endpoint-test" data-ok={test.ok}>
          <strong>{!test.ok ? "The test failed:" : test.served ? "The plan (the harness preset's model server starts with each run; nothing was started or sent):" : "The endpoint answers, and this is the plan (nothing was sent but GET /models):"}</strong>
          <pre className="text-block endpoint-test-output">{test.output}</pre>
        </section>
      )}
    </form>
  );
}
