export * from "./paths";
export * from "./catalog";
export * from "./manifest-file";
export * from "./run-writer";
export * from "./serve";
export * from "./records-source";
