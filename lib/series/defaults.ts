/** Checkpoints the noise and the recent change are measured over, unless the user says otherwise. */
export const DEFAULT_K = 5;
