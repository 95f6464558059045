import { agentLoop } from "./agent-loop";
import { singleTurn } from "./single-turn";
import type { Scaffold } from "./types";

export const SCAFFOLDS = { "single-turn": singleTurn, agent: agentLoop } as const satisfies Record<string, Scaffold>;
export type ScaffoldName = keyof typeof SCAFFOLDS;
