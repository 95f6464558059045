export * from "./manifest";
export * from "./record";
export * from "./columns";
export * from "./parse";
export * from "./version";
