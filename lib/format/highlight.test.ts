import { describe, expect, it } from "vitest";
import { highlightPieces, snippet } from "./highlight";

describe("highlightPieces", () => {
  it("marks every case-insensitive match and keeps the text between", () => {
    expect(highlightPieces("Cat, cAT and dog", "cat")).toEqual([
      { text: "Cat", match: true },
      { text: ", ", match: false },
      { text: "cAT", match: true },
      { text: " and dog", match: false },
    ]);
  });

  it("returns the text whole when there is no needle or no match", () => {
    expect(highlightPieces("<b>x</b>", "")).toEqual([{ text: "<b>x</b>", match: false }]);
    expect(highlightPieces("abc", "zz")).toEqual([{ text: "abc", match: false }]);
  });

  it("marks nothing rather than the wrong letters when lower-casing changes the length", () => {
    expect(highlightPieces("İstanbul x", "x")).toEqual([{ text: "İstanbul x", match: false }]);
  });
});

describe("snippet", () => {
  const long = `${"a".repeat(100)} needle ${"b".repeat(100)}`;

  it("shows the text around the first match", () => {
    const s = snippet(long, "NEEDLE", 40);
    expect(s).toContain("needle");
    expect(s.startsWith("…") && s.endsWith("…")).toBe(true);
  });

  it("shows the start, or the end for a prompt, when nothing matches", () => {
    expect(snippet(long, "", 10)).toBe("aaaaaaaaaa…");
    expect(snippet(long, "", 10, true)).toBe("…bbbbbbbbbb");
  });

  it("keeps short text whole, on one line", () => {
    expect(snippet("two\nlines", "x", 40)).toBe("two lines");
  });
});
