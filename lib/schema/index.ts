export * from "./manifest";
export * from "./record";
export * from "./parse";
export * from "./version";
