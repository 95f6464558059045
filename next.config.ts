import { randomUUID } from "node:crypto";
import type { NextConfig } from "next";
import { MAX_BODY_BYTES } from "./lib/server/body-limit";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // names this build in the browser's stored comparison reports (lib/query/report-store.ts), so
  // a new build never shows figures computed by an older version of the statistics
  env: { EVALBENCH_BUILD: randomUUID() },
  // DuckDB's native bindings (table imports on the server) are loaded by Node, never bundled
  serverExternalPackages: ["@duckdb/node-api"],
  // the proxy answers 413 above this, naming the limit; Next must buffer as much
  experimental: { proxyClientMaxBodySize: MAX_BODY_BYTES },
  // Next gzips responses on the fly, which turns the 34 MB DuckDB-WASM bundle into a 1.4 s wait on
  // every page load (measured on loopback; uncompressed: 0.16 s). evalbench serves a local or LAN
  // browser, so it sends bytes as they are; put a compressing proxy in front for slow links.
  compress: false,
  // public/duckdb/<version>/ never changes under a given version: let the browser keep it (and
  // Chromium its compiled WebAssembly) instead of revalidating 40 MB on every page load
  async headers() {
    return [{ source: "/duckdb/:version/:file", headers: [{ key: "Cache-Control", value: "public, max-age=31536000, immutable" }] }];
  },
};

export default nextConfig;
