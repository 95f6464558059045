/** Runs `evalbench demo` writes: two training runs x eight checkpoints x three tasks (lib/demo). */
export const DEMO_RUN_COUNT = 48;
