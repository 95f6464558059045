export * from "./store";
export * from "./list";
export * from "./reindex";
export * from "./compact";
export * from "./record";
export type { RunSummary } from "./summary";
export { taskLabel } from "./summary";
