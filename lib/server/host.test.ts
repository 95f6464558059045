import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { hostProblem } from "@/scripts/host-rule.mjs";
import { allowedHostnames, listenHost, requestRefusal } from "./host";

const TOKEN = "0123456789abcdef0123";
const LOOPBACK_START = ["node", "next", "start", "-p", "3000", "-H", "127.0.0.1"];

describe("DNS rebinding: the server answers only to its own names", () => {
  it("loopback names, the configured HOST and EVALBENCH_ALLOWED_HOSTS are accepted, with any port", () => {
    for (const host of ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "LOCALHOST:3000", "127.0.0.1"]) {
      expect(requestRefusal(host, LOOPBACK_START, {}), host).toBeNull();
    }
    const env = { HOST: "10.0.0.5", EVALBENCH_TOKEN: TOKEN, EVALBENCH_ALLOWED_HOSTS: "evalbench.lab.internal, gpu-box" };
    for (const host of ["10.0.0.5:3000", "evalbench.lab.internal:3000", "gpu-box"]) {
      expect(requestRefusal(host, ["next", "start", "-H", "10.0.0.5"], env), host).toBeNull();
    }
  });

  it("any other name, or none, is refused with 421 naming what is accepted", () => {
    for (const host of ["rebind.attacker.test:3000", "127.0.0.1.nip.io:3000", "evil.localhost.test", "", "a b"]) {
      const refusal = requestRefusal(host || null, LOOPBACK_START, {});
      expect(refusal?.status, host).toBe(421);
      expect(refusal?.message).toMatch(/answers only to 127\.0\.0\.1, localhost, \[::1\].*EVALBENCH_ALLOWED_HOSTS/);
    }
  });

  it("the proxy refuses reads and writes alike before any handler", () => {
    for (const method of ["GET", "POST"]) {
      const request = new NextRequest("http://rebind.attacker.test:3000/api/runs", { method, headers: { host: "rebind.attacker.test:3000" } });
      const saved = process.argv;
      process.argv = LOOPBACK_START;
      try {
        expect(proxy(request).status, method).toBe(421);
      } finally {
        process.argv = saved;
      }
    }
  });
});

describe("the host rule holds in the server itself, however it was started", () => {
  it("the listening address comes from -H/--hostname, else Next's recorded origin; none means every interface", () => {
    expect(listenHost(["next", "start", "-H", "127.0.0.2"], {})).toBe("127.0.0.2");
    expect(listenHost(["next", "start", "--hostname=::1"], {})).toBe("::1");
    expect(listenHost(["start-server.js"], { __NEXT_PRIVATE_ORIGIN: "http://127.0.0.1:3000" })).toBe("127.0.0.1");
    expect(listenHost(["next", "start"], { __NEXT_PRIVATE_ORIGIN: "http://localhost:3000" })).toBe("0.0.0.0");
    expect(listenHost(["next", "start"], {})).toBe("0.0.0.0");
  });

  it("`next start -H 127.0.0.2` (or no -H) without a token answers nothing, not even under a loopback Host", () => {
    for (const argv of [["next", "start", "-H", "127.0.0.2"], ["next", "start"]]) {
      const refusal = requestRefusal("localhost:3000", argv, {});
      expect(refusal?.status).toBe(403);
      expect(refusal?.message).toMatch(/refusing to listen on (127\.0\.0\.2|0\.0\.0\.0) without EVALBENCH_TOKEN/);
    }
    expect(requestRefusal("127.0.0.2:3000", ["next", "start", "-H", "127.0.0.2"], { EVALBENCH_TOKEN: TOKEN })).toBeNull();
  });

  it("a token needs length and some variety: 16 identical characters are refused", () => {
    expect(hostProblem("0.0.0.0", { EVALBENCH_TOKEN: "a".repeat(16) })).toMatch(/only 1 different characters/);
    expect(hostProblem("0.0.0.0", { EVALBENCH_TOKEN: "abababababababababab" })).toMatch(/only 2 different characters/);
    expect(requestRefusal("127.0.0.1:3000", LOOPBACK_START, { EVALBENCH_TOKEN: "a".repeat(32) })?.status).toBe(403);
    expect(hostProblem("0.0.0.0", { EVALBENCH_TOKEN: TOKEN })).toBeNull();
    // at the bounds: 16 characters of 8 different ones pass; 7 different ones do not
    expect(hostProblem("0.0.0.0", { EVALBENCH_TOKEN: "abcdefghabcdefgh" })).toBeNull();
    expect(hostProblem("0.0.0.0", { EVALBENCH_TOKEN: "abcdefgabcdefgab" })).toMatch(/^EVALBENCH_TOKEN has only 7 different characters, which is guessable/);
  });

  it("allowed names are listed once, without brackets", () => {
    expect(allowedHostnames("127.0.0.1", { EVALBENCH_ALLOWED_HOSTS: "[::1],box" })).toEqual(["127.0.0.1", "localhost", "::1", "box"]);
    expect(allowedHostnames("127.0.0.1", {})).toEqual(["127.0.0.1", "localhost", "::1"]);
    // HOST in lower case, blank entries dropped, only a whole [...] name unwrapped
    expect(allowedHostnames("0.0.0.0", { HOST: "Box.Lab", EVALBENCH_ALLOWED_HOSTS: "a,, B ,[::2]x,y[::3]" })).toEqual(["127.0.0.1", "localhost", "::1", "box.lab", "0.0.0.0", "a", "b", "[::2]x", "y[::3]"]);
  });

  it("-H or --hostname with the address after it; a flag without one means every interface", () => {
    expect(listenHost(["next", "start", "--hostname", "10.0.0.5"], {})).toBe("10.0.0.5");
    expect(listenHost(["next", "start", "-H"], {})).toBe("0.0.0.0");
  });

  it("a refusal names the Host it got, or its absence", () => {
    const accepted = "127.0.0.1, localhost, [::1]";
    expect(requestRefusal("rebind.test:3000", LOOPBACK_START, {})?.message).toBe(
      `evalbench answers only to ${accepted}, not to "rebind.test:3000": open it at one of those, or add the name to EVALBENCH_ALLOWED_HOSTS (comma-separated)`,
    );
    expect(requestRefusal(null, LOOPBACK_START, {})?.message).toBe(`evalbench answers only to ${accepted}, not to a request without a Host: open it at one of those, or add the name to EVALBENCH_ALLOWED_HOSTS (comma-separated)`);
  });
});
