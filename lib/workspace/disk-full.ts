/** Writing ran out of space (or quota): the run can be resumed once there is room again. */
export class DiskFullError extends Error {}

/** A write error as the user should read it: a full disk in one line saying what to do; anything else unchanged. */
export function diskFull(error: unknown, dir: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== "ENOSPC" && code !== "EDQUOT") return error;
  return new DiskFullError(`no space left on the disk holding ${dir} (${code}): what was recorded so far is kept; free some space, then run again with --resume to finish`);
}
