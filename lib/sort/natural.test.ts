import { describe, expect, it } from "vitest";
import { naturalRanks, naturalSort, orderByRank } from "./natural";

describe("natural sort", () => {
  it("orders runs of digits as numbers: 19 before 180", () => {
    expect(naturalSort(["q180", "q19", "q2", "q1000"])).toEqual(["q2", "q19", "q180", "q1000"]);
  });

  it("compares text between the numbers as text, and keeps zero-padded twins apart", () => {
    expect(naturalSort(["b1", "a10", "a9", "a9b", "q01", "q1"])).toEqual(["a9", "a9b", "a10", "b1", "q01", "q1"]);
  });

  it("ranks every value, equal values alike, null as -1", () => {
    expect([...naturalRanks(["item-180", null, "item-19", "item-19", "item-2"])]).toEqual([2, -1, 1, 1, 0]);
  });

  it("orders rows by rank either way, nulls last, ties in row order", () => {
    const ranks = naturalRanks(["item-180", null, "item-19", "item-19", "item-2"]);
    const rows = Int32Array.from([4, 3, 2, 1, 0]);
    expect([...orderByRank(rows, ranks, false)]).toEqual([4, 2, 3, 0, 1]);
    expect([...orderByRank(rows, ranks, true)]).toEqual([0, 2, 3, 4, 1]);
  });
});
