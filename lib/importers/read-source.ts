import fs from "node:fs";
import path from "node:path";
import type { BadRows } from "./bad-rows";
import { ImportError } from "./types";

/** A JSON file's value, or an ImportError naming the file and what is wrong. */
export function readJsonFile(file: string): unknown {
  return parseJson(fs.readFileSync(file, "utf8"), path.basename(file));
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const truncated = /Unexpected end|Unterminated/.test((error as Error).message);
    throw new ImportError(`${what} is not valid JSON${truncated ? " (it ends early: the file looks truncated)" : ""}: ${(error as Error).message}`);
  }
}

/** Parsed lines of a JSONL file with their 1-based line numbers; a bad line goes to `bad`. */
export function* readJsonl(file: string, bad: BadRows, text = fs.readFileSync(file, "utf8")): Generator<{ line: number; value: Record<string, unknown> }> {
  const name = path.basename(file);
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      const last = i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1] === "");
      bad.report(name, `line ${i + 1}`, `not valid JSON${last ? " (the last line is cut short: the file looks truncated)" : ""}: ${(error as Error).message}`);
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      bad.report(name, `line ${i + 1}`, "is not a JSON object");
      continue;
    }
    yield { line: i + 1, value: value as Record<string, unknown> };
  }
}

/** A plain object, else null. */
export function asObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** Text for a record field: strings as they are, other values as JSON. */
export function asText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}
