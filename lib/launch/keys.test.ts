import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempWorkspace } from "@/lib/workspace/testing/fixtures";
import { CHILD_KEY_ENV, childEnv, offeredKeys } from "./keys";

describe("API keys are named in the form, resolved on the server, and go only to their endpoints", () => {
  const file = path.join(tempWorkspace(), "keys.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      lab_vllm: { key: "sk-file-key", endpoints: ["http://gpu-box:8000", "http://10.0.0.7:8000/v1"] },
      openai: { env: "OPENAI_API_KEY", endpoints: ["https://api.openai.com/"] },
      older: "sk-bare-string",
      aws: { env: "AWS_SECRET_ACCESS_KEY", endpoints: ["https://evil.example"] },
      "bad name": { key: "x", endpoints: ["http://h"] },
    }),
  );
  const env = { OPENAI_API_KEY: "sk-env-key", OTHER_API_KEY: "sk-other", AWS_SECRET_ACCESS_KEY: "aws", PATH: "/usr/bin" };
  const source = { env, file };

  it("offers the keys that have somewhere to go, with their endpoints, by name only", () => {
    expect(offeredKeys(source)).toEqual([
      { name: "lab_vllm", endpoints: ["http://gpu-box:8000", "http://10.0.0.7:8000"] },
      { name: "openai", endpoints: ["https://api.openai.com"] },
    ]);
  });

  it("hands the chosen key to the child under one variable for an allowed endpoint, and no key when none is chosen", () => {
    expect(childEnv("lab_vllm", "http://gpu-box:8000/v1", source)[CHILD_KEY_ENV]).toBe("sk-file-key");
    expect(childEnv("openai", "openai:https://api.openai.com/v1", source)[CHILD_KEY_ENV]).toBe("sk-env-key");
    expect(childEnv(null, "http://anywhere/v1", { env: { ...env, [CHILD_KEY_ENV]: "leftover" }, file })[CHILD_KEY_ENV]).toBeUndefined();
  });

  it("refuses a key for an endpoint its entry does not list, naming where it may go", () => {
    expect(() => childEnv("lab_vllm", "http://attacker.example:8000/v1", source)).toThrow(/^the key lab_vllm may be sent only to http:\/\/gpu-box:8000, http:\/\/10\.0\.0\.7:8000, not to http:\/\/attacker\.example:8000: list the endpoints it may go to in EVALBENCH_KEYS_FILE/);
    expect(() => childEnv("lab_vllm", "https://gpu-box:8000/v1", source)).toThrow(/not to https:\/\/gpu-box:8000/);
    expect(() => childEnv("older", "http://gpu-box:8000/v1", source)).toThrow(/the key older may be sent to no endpoint yet/);
  });

  it("environment keys and other secrets of the server are not keys unless an entry names them", () => {
    expect(() => childEnv("OTHER_API_KEY", "http://gpu-box:8000/v1", source)).toThrow(/no API key named OTHER_API_KEY on the server; known names: lab_vllm, openai/);
    expect(() => childEnv("aws", "https://evil.example/v1", source)).toThrow(/no API key named aws/);
    expect(() => childEnv("PATH", "http://h/v1", source)).toThrow(/no API key named PATH/);
    expect(() => childEnv("x", "http://h/v1", { env, file: path.join(tempWorkspace(), "missing.json") })).toThrow(/cannot read the API key file .*missing\.json \(EVALBENCH_KEYS_FILE\): ENOENT/);
  });
});
