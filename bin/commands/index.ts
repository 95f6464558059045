// Every verb of the CLI: a new verb is its file here plus one line below. A verb's file imports
// only light modules at the top (commander, its options, ../format); whatever its action needs
// beyond those it imports inside the action (`await import(...)`), so `evalbench --help` and the
// other verbs do not load it.
export { registerCompare } from "./compare";
export { registerDemo } from "./demo";
export { registerExternal } from "./external";
export { registerHarnesses } from "./harnesses";
export { registerImport } from "./import";
export { registerLs } from "./ls";
export { registerMatrix } from "./matrix";
export { registerPublish } from "./publish";
export { registerReindex } from "./reindex";
export { registerRescore } from "./rescore";
export { registerRun } from "./run";
export { registerSeries } from "./series";
export { registerSim } from "./sim";
export { registerSuites } from "./suites";
export { registerTasks } from "./tasks";
export { registerWatch } from "./watch";
