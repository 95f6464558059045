import { describe, expect, it } from "vitest";
import { objectKey, parseS3Url } from "./location";

describe("parseS3Url", () => {
  it("reads the bucket and the prefix", () => {
    expect(parseS3Url("s3://evals/team/pr-1/")).toEqual({ bucket: "evals", prefix: "team/pr-1" });
    expect(parseS3Url("s3://evals")).toEqual({ bucket: "evals", prefix: "" });
    expect(objectKey(parseS3Url("s3://evals/a"), "index.json")).toBe("a/index.json");
    expect(objectKey(parseS3Url("s3://evals"), "index.json")).toBe("index.json");
  });

  it("names what is wrong with a bad location", () => {
    expect(() => parseS3Url("s3://Evals/x")).toThrow("s3://Evals/x is not an S3 location: write s3://BUCKET/PREFIX");
    expect(() => parseS3Url("s3://evals/a//b")).toThrow("the prefix must be plain names separated by single slashes");
    expect(() => parseS3Url("s3://evals/a/../b")).toThrow("the prefix must be plain names");
  });
});
