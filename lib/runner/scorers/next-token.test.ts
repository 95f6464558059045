import { describe, expect, it } from "vitest";
import { resolveTask } from "../registry";
import type { Question } from "../task";
import { describeLetters, letterLogprobs, pickLetter, scoreLetters } from "./next-token";
import "../tasks";

const question: Question = { id: "q1", subtask: null, cluster: null, input: {}, text: "Which?", fields: {}, target: "B", choices: ["w", "x", "y", "z"], gold: 1 };
const config = resolveTask("mmlu:mc_logprobs").config;

describe("mc by the next token's top log-probabilities", () => {
  it("reads each letter's log-probability, adding up its forms with and without a leading space", () => {
    const letters = letterLogprobs([{ token: " B", logprob: -1 }, { token: " the", logprob: -1.2 }, { token: "B", logprob: -2 }, { token: " A", logprob: -3 }], question);
    expect(letters.map((l) => l.continuation)).toEqual(["A", "B", "C", "D"]);
    expect(letters[0].logprob).toBe(-3);
    expect(letters[1].logprob).toBeCloseTo(Math.log(Math.exp(-1) + Math.exp(-2)), 12);
    expect(letters[2].logprob).toBeNull();
    expect(letters.map((l) => l.gold)).toEqual([false, true, false, false]);
  });

  it("picks the likeliest letter in the top k: right is 1, another letter is 0", () => {
    const right = letterLogprobs([{ token: " B", logprob: -0.5 }, { token: " A", logprob: -0.9 }], question);
    expect(scoreLetters(config, right)).toEqual({ extracted: "B", score: 1, scores: { exact_match: 1 } });
    // the gold letter is outside the top k, so less likely than A, which is in it: a real wrong answer
    const wrong = letterLogprobs([{ token: " the", logprob: -0.1 }, { token: " A", logprob: -4 }], question);
    expect(scoreLetters(config, wrong)).toEqual({ extracted: "A", score: 0, scores: { exact_match: 0 } });
  });

  it("no letter in the top k is its own outcome: unscored (null), never wrong, and the response says so", () => {
    const top = [{ token: " the", logprob: -2.5 }, { token: "\n", logprob: -2.6 }];
    const none = letterLogprobs(top, question);
    expect(pickLetter(none)).toBeNull();
    expect(scoreLetters(config, none)).toEqual({ extracted: null, score: null, scores: { exact_match: null } });
    const response = describeLetters(none, top, 20);
    expect(response.split("\n")[0]).toBe('not in the top 20: no answer letter among the next token\'s 2 most likely tokens (likeliest: " the" -2.5000, "\\n" -2.6000)');
    expect(response).toContain("  B not in the top 20");
    expect(describeLetters(letterLogprobs([{ token: " C", logprob: -0.25 }, ...top], question), [{ token: " C", logprob: -0.25 }, ...top], 20)).toBe(
      "picked C, the likeliest answer letter among the next token's 3 most likely tokens\n  A not in the top 20\n  B not in the top 20\n* C log p -0.2500\n  D not in the top 20",
    );
  });

  it("is an mc completion option scored by exact_match only", () => {
    expect(() => resolveTask("mmlu:mc_logprobs", ["format=chat"])).toThrow(/format: mc by log-probabilities reads the next token after a completion prompt/);
    expect(() => resolveTask("mmlu:rc", ["mc_top_logprobs=5"])).toThrow(/unknown task key "mc_top_logprobs"/);
    expect(() => resolveTask("mmlu:mc_logprobs", ["mc_top_logprobs=50"])).toThrow(/mc_top_logprobs: .*<=20/);
    expect(resolveTask("mmlu:mc_logprobs", ["mc_top_logprobs=5"]).config.mc_top_logprobs).toBe(5);
    // the field is absent from every other task, so their hashes (and resumes) are unchanged
    expect("mc_top_logprobs" in resolveTask("mmlu").config).toBe(false);
  });
});
