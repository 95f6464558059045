import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ForbiddenPathError, parseRange, rangeResponse, resolveWorkspaceFile, resolveWorkspacePath } from "./serve";
import { tempWorkspace } from "./testing/fixtures";

function workspaceWithFiles() {
  const ws = tempWorkspace();
  fs.mkdirSync(path.join(ws, "runs", "r1"), { recursive: true });
  fs.writeFileSync(path.join(ws, "runs", "r1", "run.json"), "0123456789");
  const outside = tempWorkspace();
  fs.writeFileSync(path.join(outside, "secret.txt"), "secret");
  fs.symlinkSync(path.join(outside, "secret.txt"), path.join(ws, "runs", "r1", "escape.txt"));
  fs.symlinkSync(outside, path.join(ws, "runs", "out"));
  fs.symlinkSync(path.join(ws, "runs", "r1", "run.json"), path.join(ws, "runs", "r1", "inside.json"));
  // a sibling whose name extends the workspace's: starts with its path, yet is outside
  fs.mkdirSync(`${ws}2`);
  fs.writeFileSync(path.join(`${ws}2`, "secret.txt"), "secret");
  fs.symlinkSync(`${ws}2`, path.join(ws, "runs", "sibling"));
  return ws;
}

describe("resolveWorkspaceFile", () => {
  const ws = workspaceWithFiles();

  it("serves a plain file inside the workspace, and a symlink that stays inside", () => {
    expect(resolveWorkspaceFile(ws, ["runs", "r1", "run.json"])).toBe(fs.realpathSync(path.join(ws, "runs/r1/run.json")));
    expect(resolveWorkspaceFile(ws, ["runs", "r1", "inside.json"])).toBe(fs.realpathSync(path.join(ws, "runs/r1/run.json")));
  });

  it.each([
    [["..", "etc", "passwd"], /refused path segment/],
    [["runs", "..", "..", "x"], /refused path segment/],
    [["%2e%2e", "x"], /refused path segment/],
    [["%252e%252e", "x"], /refused path segment/],
    [["/etc/passwd"], /refused path segment/],
    [["runs/../../x"], /refused path segment/],
    [["runs\\..\\x"], /refused path segment/],
    [[".hidden"], /refused path segment/],
    [["runs", "r1\u0000.json"], /refused path segment/],
    [["runs", "r1", "escape.txt"], /outside the workspace/],
    [["runs", "out", "secret.txt"], /outside the workspace/],
    [["runs", "sibling", "secret.txt"], /outside the workspace/],
  ])("refuses %j", (segments, reason) => {
    expect(() => resolveWorkspaceFile(ws, segments)).toThrow(reason);
  });

  it("reports a missing file as not found and a folder as not a file", () => {
    expect(() => resolveWorkspaceFile(ws, ["runs", "nope.json"])).toThrow(expect.objectContaining({ status: 404, message: "runs/nope.json does not exist in the workspace" }));
    expect(() => resolveWorkspaceFile(ws, ["runs", "r1"])).toThrow(expect.objectContaining({ status: 404, message: "runs/r1 is not a file" }));
  });

  it("names the path in each refusal, and refuses naming nothing", () => {
    expect(() => resolveWorkspacePath(ws, [])).toThrow(new ForbiddenPathError("no file named"));
    expect(() => resolveWorkspacePath(ws, ["runs", "sibling", "secret.txt"])).toThrow(expect.objectContaining({ status: 403, message: "runs/sibling/secret.txt resolves outside the workspace" }));
    expect(() => resolveWorkspacePath(ws, ["runs", ".."])).toThrow(expect.objectContaining({ status: 403, message: 'refused path segment "..": only plain names inside the workspace are served' }));
    expect(() => resolveWorkspacePath(ws, ["."])).toThrow(/refused path segment "\."/);
    expect(() => resolveWorkspacePath(`${ws}-missing`, ["runs"])).toThrow(expect.objectContaining({ status: 404, message: `workspace ${ws}-missing does not exist` }));
  });
});

describe("parseRange", () => {
  it.each([
    ["bytes=0-3", { start: 0, end: 3 }],
    ["bytes=5-", { start: 5, end: 9 }],
    ["bytes=-4", { start: 6, end: 9 }],
    ["bytes=8-100", { start: 8, end: 9 }],
    ["bytes=10-12", "unsatisfiable"],
    ["bytes=4-2", "unsatisfiable"],
    ["bytes=-0", "unsatisfiable"],
    ["bytes=-", "unsatisfiable"],
    ["bytes=5-5", { start: 5, end: 5 }],
    ["bytes=9-9", { start: 9, end: 9 }],
    ["bytes=10-", "unsatisfiable"],
    [" bytes=1-2 ", { start: 1, end: 2 }],
    ["xbytes=1-2", null],
    ["bytes=0-1,4-5", null],
    ["items=0-1", null],
  ])("%s of a 10-byte file", (header, expected) => {
    expect(parseRange(header, 10)).toEqual(expected);
  });
});

describe("rangeResponse", () => {
  const ws = workspaceWithFiles();
  const file = path.join(ws, "runs", "r1", "run.json");
  const get = (headers: Record<string, string> = {}, method = "GET") => new Request("http://127.0.0.1/x", { method, headers });

  it("answers a range with 206, Content-Range and just those bytes", async () => {
    const response = rangeResponse({ file }, get({ range: "bytes=2-5" }));
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe("bytes 2-5/10");
    expect(await response.text()).toBe("2345");
  });

  it("answers without a range with the whole file, inert to the browser", async () => {
    const response = rangeResponse({ file }, get());
    expect(response.status).toBe(200);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(await response.text()).toBe("0123456789");
  });

  it("answers without a range with every byte, its length, no Content-Range, and the type of the file", async () => {
    const response = rangeResponse({ file }, get());
    expect(response.headers.get("content-length")).toBe("10");
    expect(response.headers.get("content-range")).toBeNull();
    expect(response.headers.get("accept-ranges")).toBe("bytes");
    expect(response.headers.get("content-type")).toBe("application/json");
    const types = ["a.parquet", "a.ndjson", "a.bin"].map((name) => rangeResponse({ bytes: new Uint8Array(1), name }, get()).headers.get("content-type"));
    expect(types).toEqual(["application/vnd.apache.parquet", "application/x-ndjson", "application/octet-stream"]);
  });

  it("serves a range of in-memory bytes, and answers HEAD and empty files with headers only", async () => {
    const bytes = new TextEncoder().encode("abcdefgh");
    const ranged = rangeResponse({ bytes, name: "x.parquet" }, get({ range: "bytes=2-4" }));
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-length")).toBe("3");
    expect(await ranged.text()).toBe("cde");
    const whole = rangeResponse({ bytes, name: "x.parquet" }, get());
    expect(await whole.text()).toBe("abcdefgh");
    const head = rangeResponse({ file }, get({}, "HEAD"));
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("10");
    expect(head.body).toBeNull();
    const empty = rangeResponse({ bytes: new Uint8Array(0), name: "x.json" }, get());
    expect(empty.status).toBe(200);
    expect(empty.headers.get("content-length")).toBe("0");
    expect(empty.body).toBeNull();
  });

  it("answers an unsatisfiable range with 416 and the size", () => {
    const response = rangeResponse({ bytes: new Uint8Array(4), name: "x.parquet" }, get({ range: "bytes=9-" }));
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe("bytes */4");
  });
});
