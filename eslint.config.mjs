import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTypescript,
  // the CLI prints through bin/output.ts, which makes names from outside safe for a terminal
  { files: ["bin/**/*.ts"], ignores: ["bin/**/*.test.ts"], rules: { "no-console": "error" } },
  { ignores: [".next/**", "dist/**", "node_modules/**", "public/duckdb/**", "workspace/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
];

export default config;
