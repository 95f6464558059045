import http from "node:http";
import { expect, test } from "@playwright/test";
import { MAIN_URL } from "./fixtures/paths";

/** A GET with the path sent byte for byte: a URL parser would resolve `..` and `%2e%2e` first. */
function rawGet(path: string): Promise<{ status: number; body: string; location?: string }> {
  const { hostname, port } = new URL(MAIN_URL);
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, path, method: "GET" }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body, location: response.headers.location }));
    });
    request.on("error", reject);
    request.end();
  });
}

test.describe("workspace file serving is confined", () => {
  test("serves a file inside the workspace", async () => {
    const { status, body } = await rawGet("/api/files/inside.txt");
    expect(status).toBe(200);
    expect(body).toBe("inside the workspace\n");
  });

  const escapes = [
    "/api/files/..%2f..%2fetc%2fpasswd",
    "/api/files/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/api/files/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/api/files/../../../etc/passwd",
    "/api/files//etc/passwd",
    "/api/files/%2fetc%2fpasswd",
    "/api/files/escape-link",
    "/api/files/runs/..%2f..%2f..%2fetc%2fpasswd",
    "/api/runs/..%2f..%2f..%2fetc/records",
    "/api/runs/%2e%2e/records",
  ];
  for (const path of escapes) {
    test(`refuses ${path}`, async () => {
      let response = await rawGet(path);
      // Next normalizes some paths (`//` -> `/`) with a redirect: it must stay in the route and fail there
      if (response.status === 308 || response.status === 307) {
        expect(response.location).toMatch(/^\/api\/(files|runs)\//);
        response = await rawGet(response.location!);
      }
      expect([403, 404]).toContain(response.status);
      expect(response.body).not.toContain("root:");
    });
  }
});
