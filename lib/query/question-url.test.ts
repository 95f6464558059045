import { describe, expect, it } from "vitest";
import { findQuestionRow, parseQuestionRef, questionSearch } from "./question-url";

describe("a question's address", () => {
  it("names the id, and the sample only past the first, encoded", () => {
    expect(questionSearch({ id: "q 1&x", sample: 0 })).toBe("?q=q+1%26x");
    expect(questionSearch({ id: "q1", sample: 2 })).toBe("?q=q1&sample=2");
  });

  it("reads back what it wrote, and nothing from a malformed address", () => {
    const params = Object.fromEntries(new URLSearchParams(questionSearch({ id: "q 1&x", sample: 3 }).slice(1)));
    expect(parseQuestionRef(params)).toEqual({ id: "q 1&x", sample: 3 });
    expect(parseQuestionRef({})).toBeNull();
    expect(parseQuestionRef({ q: "q1", sample: "-1" })).toBeNull();
    expect(parseQuestionRef({ q: ["a", "b"] })).toBeNull();
  });

  it("finds the row of that id and sample", () => {
    const batch = { rowStart: 0, length: 3, columns: { instance_id: ["a", "b", "b"], sample: [0, 0, 1] } };
    expect(findQuestionRow(batch, { id: "b", sample: 1 })).toBe(2);
    expect(findQuestionRow(batch, { id: "b", sample: 0 })).toBe(1);
    expect(findQuestionRow(batch, { id: "c", sample: 0 })).toBeNull();
  });
});
