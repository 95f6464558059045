import { describe, expect, it } from "vitest";
import type { FieldErrors } from "@/lib/launch/request";
import { slurmFromForm } from "./form";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

describe("the launch page's executor fields", () => {
  it("takes the four Slurm options, each held to its pattern; local is no Slurm at all", () => {
    const errors: FieldErrors = {};
    expect(slurmFromForm(form({ executor: "local", partition: "gpu" }), errors)).toBeNull();
    expect(slurmFromForm(form({ executor: "slurm", partition: " gpu ", gres: "gpu:a100:2", time: "1-02:00:00", account: "" }), errors)).toEqual({ partition: "gpu", gres: "gpu:a100:2", time: "1-02:00:00", account: null, extra: [] });
    expect(errors).toEqual({});
  });

  it("refuses what could be read as another sbatch option or a path", () => {
    const errors: FieldErrors = {};
    slurmFromForm(form({ executor: "slurm", partition: "--output=/etc/x", gres: "gpu:1 --wrap", time: "2 hours", account: "../a" }), errors);
    expect(errors).toEqual({
      partition: "--output=/etc/x is not a Slurm partition; e.g. gpu",
      gres: "gpu:1 --wrap is not a Slurm gres; e.g. gpu:1",
      time: "2 hours is not a Slurm time; e.g. 2:00:00",
      account: "../a is not a Slurm account; e.g. my-lab",
    });
    const other: FieldErrors = {};
    slurmFromForm(form({ executor: "kubernetes" }), other);
    expect(other.executor).toMatch(/pick where the runs execute/);
  });
});
