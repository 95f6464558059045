import type { TestProject } from "vitest/node";
import { llamaBin, tinyModel } from "./llama";

declare module "vitest" {
  export interface ProvidedContext {
    llamaBin: string;
    tinyModel: string;
  }
}

/** Builds llama-server when missing (or fails saying why) and writes the tiny model, once for every test file. */
export function setup(project: TestProject): void {
  const bin = llamaBin();
  project.provide("llamaBin", bin);
  project.provide("tinyModel", tinyModel(bin));
}
