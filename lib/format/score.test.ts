import { describe, expect, it } from "vitest";
import { scoreWithSe } from "./score";

describe("scoreWithSe", () => {
  it("says that the ± is one standard error, and the score's own n when it is not the n shown beside it", () => {
    expect(scoreWithSe(0.5956, 0.0156, 1000, 1000)).toBe("0.596 ± 0.016 (1 SE)");
    expect(scoreWithSe(0.5956, 0.0156, 950, 1000)).toBe("0.596 ± 0.016 (1 SE, n = 950)");
    expect(scoreWithSe(0.5956, 0.0156)).toBe("0.596 ± 0.016 (1 SE)");
  });

  it("shows a score without an SE, or no score, plainly", () => {
    expect(scoreWithSe(0.5, null, 3, 3)).toBe("0.500");
    expect(scoreWithSe(1, null)).toBe("1");
    expect(scoreWithSe(null, 0.1)).toBe("—");
  });
});
