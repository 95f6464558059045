// Apart from server.ts so that the CLI's help can list them without loading the simulator.

export const FAULT_KINDS = ["429", "500", "timeout", "truncated"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
