import { describe, expect, it } from "vitest";
import { planImport } from "./index";
import { inFormWords } from "./form-words";

describe("import errors in the web form's words", () => {
  it("names the form's fields, not the CLI's flags", () => {
    expect(inFormWords("cannot tell the format of notes.txt: it matches none of ...; or name it with --format")).toBe("cannot tell the format of notes.txt: it matches none of ...; or set Format");
    expect(inFormWords("a.jsonl line 3: not JSON; fix the source, or pass --skip-bad-rows to import the other rows")).toBe('a.jsonl line 3: not JSON; fix the source, or tick "skip rows that cannot be read" to import the other rows');
    expect(inFormWords("a table import needs --id and --score: SQL")).toBe("a table import needs the mapping's id and the mapping's score: SQL");
    expect(inFormWords("x is not in the HumanEval file given with --humaneval")).toBe("x is not in the HumanEval file given with --humaneval (evalbench import on the command line)");
  });

  it("leaves no flag the form has in a real detection error", async () => {
    const error = await planImport([import.meta.filename]).catch((e: Error) => e.message);
    expect(error).toMatch(/^cannot tell the format/);
    expect(inFormWords(error as string)).not.toMatch(/--(format|id|score)\b/);
  });
});
