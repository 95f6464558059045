import { describe, expect, it } from "vitest";
import { formRequests, MAX_SERIES_LINES } from "./form";

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(name, v);
  return data;
};

describe("the launch form", () => {
  it("one request per task or suite, with blanks as unset and overrides one per line", () => {
    const { requests, errors } = formRequests(form({ mode: "single", tasks: ["gsm8k", "core"], endpoint: " http://h/v1 ", model_name: "olmo", checkpoint: "step-5", step: "5", limit: "", overrides: "fewshot.n=0\n\n harness.timeout_ms=100 " }));
    expect(errors).toEqual({});
    expect(requests.map((r) => r.tasks)).toEqual([["gsm8k"], ["core"]]);
    expect(requests[0]).toMatchObject({ endpoint: "http://h/v1", model_name: "olmo", checkpoint: "step-5", step: 5, limit: null, served_model: null, api_key: null, overrides: ["fewshot.n=0", "harness.timeout_ms=100"] });
  });

  it("a series is one request per task and checkpoint", () => {
    const { requests, errors } = formRequests(form({ mode: "series", tasks: ["gsm8k", "arc_easy"], endpoint: "http://h/v1", model_name: "olmo", checkpoints: "step-1 1 sim-small\nstep-2 2 sim-medium\n\nstep-3 3" }));
    expect(errors).toEqual({});
    expect(requests.map((r) => `${r.tasks[0]}@${r.checkpoint}/${r.step}/${r.served_model}`)).toEqual(["gsm8k@step-1/1/sim-small", "arc_easy@step-1/1/sim-small", "gsm8k@step-2/2/sim-medium", "arc_easy@step-2/2/sim-medium", "gsm8k@step-3/3/null", "arc_easy@step-3/3/null"]);
  });

  it("a series line naming no served model takes the form's served model", () => {
    const { requests } = formRequests(form({ mode: "series", tasks: "gsm8k", endpoint: "http://h/v1", served_model: "sim-base", checkpoints: "step-1 1\nstep-2 2 sim-large" }));
    expect(requests.map((r) => r.served_model)).toEqual(["sim-base", "sim-large"]);
  });

  it("names the field of a bad number, a bad series line, or no task", () => {
    expect(formRequests(form({ mode: "single", tasks: "gsm8k", step: "1e3", limit: "-2" })).errors).toEqual({ step: "1e3 is not a whole number", limit: "-2 is not a whole number" });
    expect(formRequests(form({ mode: "series", tasks: "gsm8k", checkpoints: "step-1 1\nstep-2 two" })).errors.checkpoints).toMatch(/line 2 \(step-2 two\) is not CHECKPOINT STEP/);
    expect(formRequests(form({ mode: "series", tasks: "gsm8k", checkpoints: " " })).errors.checkpoints).toMatch(/list the checkpoints/);
    expect(formRequests(form({ mode: "single" })).errors.tasks).toMatch(/pick at least one/);
  });

  it("refuses a series longer than the limit, before making any request", () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `step-${i} ${i}`).join("\n");
    const { requests, errors } = formRequests(form({ mode: "series", tasks: "gsm8k", checkpoints: lines(MAX_SERIES_LINES + 1) }));
    expect(errors.checkpoints).toBe(`a series takes at most 100 checkpoints, this one has 101: launch it in parts`);
    expect(requests).toEqual([]);
    expect(formRequests(form({ mode: "series", tasks: "gsm8k", checkpoints: lines(MAX_SERIES_LINES) })).requests).toHaveLength(100);
  });
});

describe("the launch form takes only its own fields", () => {
  it("a field the form does not offer (a serve command) is refused, naming it", () => {
    const { errors } = formRequests(form({ mode: "single", tasks: "gsm8k", endpoint: "http://h/v1", serve: "sh -c id {port}" }));
    expect(errors.form).toBe("the launch form has no field serve: a model server is started only by a harness preset of the server, picked by name");
  });
});
