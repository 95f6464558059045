// vitest's globalSetup: compiles the CLI once if its sources changed, before the tests spawn it,
// rather than in each of the first processes at once (each saying so on stderr).
import { build, freshBuild } from "./build.mjs";

export async function setup() {
  if (!freshBuild()) await build();
}
