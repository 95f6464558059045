import { InvalidArgumentError, type Command } from "commander";

export const WORKSPACE_HELP = "workspace folder or s3://BUCKET/PREFIX (default: $EVALBENCH_WORKSPACE or ./workspace)";

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of at least 1");
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number of at least 0");
  return n;
}

/** A verb of the CLI: adds itself to the program. */
export type Register = (program: Command) => void;
