import { clock } from "@/lib/format/clock";
import { terminalSafe } from "@/lib/format/terminal";
import type { Progress } from "@/lib/runner/execute";

/**
 * Shows a run's progress on stderr: a redrawn bar with rate, ETA and error count on a terminal,
 * plain lines (every 10% or 10 s) when stderr is a file or pipe.
 */
export function progressReporter(name: string, stream: NodeJS.WriteStream = process.stderr) {
  // the bar's own \r and erase-line are the only control characters it writes
  const label = terminalSafe(name);
  const started = performance.now();
  const tty = Boolean(stream.isTTY);
  let lastDraw = 0;
  let lastDecile = -1;
  let last: Progress | null = null;

  const line = (p: Progress) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = p.done / Math.max(seconds, 1e-9);
    const eta = rate > 0 ? (p.total - p.done) / rate : Infinity;
    const percent = p.total === 0 ? 100 : (100 * p.done) / p.total;
    const counts = `${p.done}/${p.total}${p.already ? ` (+${p.already} recorded before)` : ""}`;
    const tail = `${rate.toFixed(1)}/s ETA ${clock(eta)} errors ${p.errored}`;
    if (!tty) return `${label}: ${counts} ${percent.toFixed(0)}% ${tail}`;
    const width = 24;
    const filled = Math.round((width * percent) / 100);
    return `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${counts} ${percent.toFixed(0)}% ${tail}`;
  };

  return {
    update(p: Progress): void {
      last = p;
      const now = performance.now();
      if (tty) {
        if (now - lastDraw < 100 && p.done < p.total) return;
        lastDraw = now;
        stream.write(`\r${line(p)}\x1b[K`);
        return;
      }
      const decile = p.total === 0 ? 10 : Math.floor((10 * p.done) / p.total);
      if (decile !== lastDecile || now - lastDraw >= 10_000) {
        lastDecile = decile;
        lastDraw = now;
        stream.write(`${line(p)}\n`);
      }
    },
    done(): void {
      if (tty && last) stream.write(`\r${line(last)}\x1b[K\n`);
    },
  };
}
