import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { CHILD_KEY_ENV, childEnv, keyNames } from "./keys";

describe("API keys are named in the form and resolved on the server", () => {
  const file = path.join(tempWorkspace(), "keys.json");
  fs.writeFileSync(file, JSON.stringify({ lab_vllm: "sk-file-key", "bad name": "x" }));
  const env = { OPENAI_API_KEY: "sk-env-key", AWS_SECRET_ACCESS_KEY: "aws", EMPTY_API_KEY: "", PATH: "/usr/bin" };

  it("offers *_API_KEY variables and the key file's entries, by name only", () => {
    expect(keyNames({ env, file })).toEqual(["OPENAI_API_KEY", "lab_vllm"]);
  });

  it("hands the chosen key to the child under one variable, and no key when none is chosen", () => {
    expect(childEnv("lab_vllm", { env, file })[CHILD_KEY_ENV]).toBe("sk-file-key");
    expect(childEnv("OPENAI_API_KEY", { env, file })[CHILD_KEY_ENV]).toBe("sk-env-key");
    expect(childEnv(null, { env: { ...env, [CHILD_KEY_ENV]: "leftover" }, file })[CHILD_KEY_ENV]).toBeUndefined();
  });

  it("refuses other secrets of the server and unknown names, listing the known ones", () => {
    expect(() => childEnv("AWS_SECRET_ACCESS_KEY", { env, file })).toThrow(/no API key named AWS_SECRET_ACCESS_KEY on the server; known names: OPENAI_API_KEY, lab_vllm/);
    expect(() => childEnv("PATH", { env, file })).toThrow(/no API key named PATH/);
    expect(() => childEnv("x", { env, file: path.join(tempWorkspace(), "missing.json") })).toThrow(/cannot read the API key file .*missing\.json \(EVALBENCH_KEYS_FILE\): ENOENT/);
  });
});
