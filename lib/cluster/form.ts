import type { FieldErrors } from "@/lib/launch/request";
import type { SlurmOptions } from "./slurm";

/*
 * The launch page's executor fields. From a browser only these four Slurm options are taken, each
 * held to a strict pattern: a free sbatch option (--output, --chdir, --export) would let a page
 * write files or set the environment of a job running as the server's user.
 */
const FIELDS: Record<"partition" | "gres" | "time" | "account", { pattern: RegExp; example: string }> = {
  partition: { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, example: "gpu" },
  gres: { pattern: /^[A-Za-z0-9][A-Za-z0-9_.:,-]{0,99}$/, example: "gpu:1" },
  time: { pattern: /^(\d{1,3}-)?\d{1,4}(:\d{1,2}){0,2}$/, example: "2:00:00" },
  account: { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, example: "my-lab" },
};

/** The Slurm options of the form, or null when it runs on this server (the local executor). Bad fields go to `errors`. */
export function slurmFromForm(form: FormData, errors: FieldErrors): SlurmOptions | null {
  const executor = form.get("executor") ?? "local";
  if (executor === "local") return null;
  if (executor !== "slurm") {
    errors.executor = "pick where the runs execute: on this server, or as Slurm jobs";
    return null;
  }
  const options: SlurmOptions = { partition: null, gres: null, time: null, account: null, extra: [] };
  for (const [name, { pattern, example }] of Object.entries(FIELDS) as [keyof typeof FIELDS, (typeof FIELDS)[keyof typeof FIELDS]][]) {
    const value = form.get(name);
    if (typeof value !== "string" || value.trim() === "") continue;
    if (!pattern.test(value.trim())) errors[name] = `${value.trim()} is not a Slurm ${name}; e.g. ${example}`;
    else options[name] = value.trim();
  }
  return options;
}
