"use client";

import { useState } from "react";
import type { FieldErrors } from "@/lib/launch/request";
// the form's own labelled field, so errors look and read alike
import { Field } from "./launch-form";

/** A bucket workspace, for the Slurm jobs' hint: where their runs go, and the local mirror their records and logs stay in. */
export interface BucketWorkspace {
  workspace: string;
  mirror: string;
}

/** Where the runs execute: child processes of this server, or one Slurm job per checkpoint (a job array for a series). */
export function ExecutorFields({ errors, prefix = "", what = "the runs execute", bucket = null }: { errors: FieldErrors; prefix?: string; what?: string; bucket?: BucketWorkspace | null }) {
  const [executor, setExecutor] = useState<"local" | "slurm">("local");
  const input = (name: string, placeholder: string) => <input id={`${prefix}f-${name}`} name={name} placeholder={placeholder} aria-invalid={Boolean(errors[name])} aria-describedby={errors[name] ? `${prefix}err-${name}` : undefined} />;
  const field = { errors, prefix };
  return (
    <fieldset className="field executor" data-testid={`${prefix}executor`}>
      <legend>Where {what}</legend>
      <div className="toolbar" role="radiogroup" aria-label="Executor">
        <label>
          <input type="radio" name="executor" value="local" checked={executor === "local"} onChange={() => setExecutor("local")} /> On this server
        </label>
        <label>
          <input type="radio" name="executor" value="slurm" checked={executor === "slurm"} onChange={() => setExecutor("slurm")} /> Slurm: one job per checkpoint
        </label>
      </div>
      {errors.executor && (
        <span className="field-error" role="alert" data-testid={`${prefix}error-executor`}>
          {errors.executor}
        </span>
      )}
      {executor === "slurm" && (
        <div className="field-grid">
          <Field name="partition" label="Partition" hint="default: the cluster's default partition" {...field}>
            {input("partition", "gpu")}
          </Field>
          <Field name="gres" label="GPUs and other resources per job (--gres)" hint="e.g. gpu:1" {...field}>
            {input("gres", "gpu:1")}
          </Field>
          <Field name="time" label="Time limit per job" hint="e.g. 2:00:00, or 1-00:00:00 for a day" {...field}>
            {input("time", "2:00:00")}
          </Field>
          <Field name="account" label="Account" hint="default: your default account" {...field}>
            {input("account", "")}
          </Field>
          <p className="hint">The jobs are submitted with sbatch from this server, each running evalbench on its checkpoint against the endpoint, or the harness preset&apos;s model server; they show under Cluster jobs on the runs page with Slurm&apos;s state, their logs and Cancel.</p>
          {bucket && (
            <p className="hint slurm-bucket" data-testid={`${prefix}slurm-bucket`}>
              Each job writes its runs to the bucket <code>{bucket.workspace}</code>; the job records and logs stay in this server&apos;s copy of the bucket, <code>{bucket.mirror}</code>, which the compute nodes must share (the home directory on most clusters).
            </p>
          )}
        </div>
      )}
    </fieldset>
  );
}
