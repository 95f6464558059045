export declare const DUCKDB_ASSETS: string[];
export declare function duckdbDist(): { dir: string; version: string };
