import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { discardUpload, importOptions, saveUpload, uploadDir } from "./uploads";

describe("uploads", () => {
  it("stores files under a token and removes them on discard", () => {
    const token = saveUpload([{ name: "results_2024.json", bytes: new TextEncoder().encode("{}") }]);
    const dir = uploadDir(token);
    expect(fs.readFileSync(path.join(dir, "results_2024.json"), "utf8")).toBe("{}");
    discardUpload(token);
    expect(() => uploadDir(token)).toThrow(/this upload is gone/);
  });

  it.each(["../escape.json", "/etc/passwd", ".hidden", "a/b.json", "x\u0000.json"])("refuses the file name %j", (name) => {
    expect(() => saveUpload([{ name, bytes: new Uint8Array() }])).toThrow(/refused file name/);
  });

  it("refuses a token that is not one of ours", () => {
    expect(() => uploadDir("../../etc")).toThrow(/this upload is gone/);
  });

  it("takes the CLI's options and names a bad one", () => {
    expect(importOptions({ modelName: " llama ", step: "2000", table: { id: "", score: "" } })).toEqual({ modelName: "llama", step: 2000, table: undefined });
    expect(() => importOptions({ step: "-1" })).toThrow(/import option step is not valid/);
    expect(() => importOptions({ workspace: "/tmp" })).toThrow(/not valid/);
    expect(() => importOptions({ table: { id: "question_id" } })).toThrow(/needs both an id and a score/);
  });
});
