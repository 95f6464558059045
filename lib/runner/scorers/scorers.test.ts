import { describe, expect, it } from "vitest";
import { extract } from "./extract";
import { bitsPerByte, exactMatch, f1, passAtK } from "./metrics";
import { rcPick, rcScore, type ChoiceLikelihood } from "./rc";

describe("answer extraction", () => {
  it("finds GSM8K numbers: #### first, then 'the answer is', then the last number", () => {
    expect(extract("number", "so 3*6=18\n#### 18")).toBe("18");
    expect(extract("number", "The answer is $1,234.00.")).toBe("1234");
    expect(extract("number", "first 5, then 7 and finally 12 eggs")).toBe("12");
    expect(extract("number", "no digits here")).toBeNull();
  });

  it("finds letters, answer phrases and code blocks", () => {
    expect(extract("letter", "The answer is (C).")).toBe("C");
    expect(extract("letter", " B")).toBe("B");
    expect(extract("letter", "I think it is D, since the others fail")).toBe("D");
    expect(extract("answer_phrase", "Let's think. So the answer is (B).")).toBe("(B)");
    expect(extract("answer_phrase", "False\nbecause")).toBe("False");
    expect(extract("code_block", "Here:\n```python\ndef f():\n    return 1\n```\ndone")).toBe("def f():\n    return 1");
  });
});

describe("metrics", () => {
  it("exact match ignores case, parentheses, trailing periods, and compares numbers by value", () => {
    expect(exactMatch("(A)", ["A"])).toBe(1);
    expect(exactMatch("18.0", ["18"])).toBe(1);
    expect(exactMatch("False.", ["false"])).toBe(1);
    expect(exactMatch(null, ["x"])).toBe(0);
    expect(exactMatch("in 1871", ["1871", "in 1871"])).toBe(1);
  });

  it("F1 is SQuAD's token overlap, best over the gold answers", () => {
    expect(f1("the red and white tower", ["red and white"])).toBeCloseTo(2 * (3 / 4) * 1 / (3 / 4 + 1), 12);
    expect(f1("Elmsford", ["300 kilometres", "Elmsford"])).toBe(1);
    expect(f1("nothing", ["Elmsford"])).toBe(0);
  });

  it("pass@k is the unbiased estimator 1 - C(n-c,k)/C(n,k)", () => {
    expect(passAtK(5, 0, 1)).toBe(0);
    expect(passAtK(5, 5, 5)).toBe(1);
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12);
    // 1 - C(7,2)/C(10,2) = 1 - 21/45
    expect(passAtK(10, 3, 2)).toBeCloseTo(1 - 21 / 45, 12);
    expect(() => passAtK(2, 1, 3)).toThrow(/needs at least 3 samples/);
  });

  it("bits per byte is -log p / (ln 2 * bytes)", () => {
    expect(bitsPerByte(-Math.LN2 * 8, " abcdefg")).toBeCloseTo(1, 12);
  });
});

describe("rank classification normalisations", () => {
  // A long gold choice loses on raw log-likelihood but wins per character and per token.
  const choices: ChoiceLikelihood[] = [
    { continuation: " a very long and correct answer", logprob: -6, tokens: 6, uncond: -9 },
    { continuation: " no", logprob: -2, tokens: 1, uncond: -1 },
  ];
  it("ranks by raw, per-character, per-token and unconditional log-likelihood", () => {
    expect(rcPick("acc_raw", choices)).toBe(1);
    expect(rcPick("acc_per_char", choices)).toBe(0);
    expect(rcPick("acc_per_token", choices)).toBe(0);
    expect(rcPick("acc_uncond", choices)).toBe(0);
    expect(rcScore("acc_raw", choices, 0)).toBe(0);
    expect(rcScore("acc_per_char", choices, 0)).toBe(1);
    expect(rcScore("bpb", choices, 0)).toBeCloseTo(6 / (Math.LN2 * 31), 12);
  });
});
