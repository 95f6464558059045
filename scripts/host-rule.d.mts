export declare const LOOPBACK: string[];
export declare const MIN_TOKEN_LENGTH: number;
export declare const MIN_TOKEN_DISTINCT: number;
export declare function hostProblem(host: string, env: Record<string, string | undefined>): string | null;
