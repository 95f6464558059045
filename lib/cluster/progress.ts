import fs from "node:fs";
import path from "node:path";
import type { RunProgressView } from "@/lib/launch/view";
import { listCatalog } from "@/lib/catalog/list";
import { JOURNAL_FILE, MANIFEST_FILE, RUNS_DIR } from "@/lib/workspace/paths";

/**
 * Progress read from the workspace itself: every run whose manifest says running, with the lines
 * of its journal (the record: flushed at least once a second) against its planned count. It
 * shows runs started anywhere, by the CLI, a Slurm job or another machine. Journals are counted
 * incrementally: each look reads only what was appended since the last.
 */
interface Counted {
  size: number;
  lines: number;
  /** The first look at this journal in this process: the rate's origin. */
  firstAt: number;
  firstLines: number;
}

/** At most this much of a journal is read per look, so a look stays cheap; the rest is read next time. */
const READ_LIMIT = 64 * 1024 * 1024;

export class WorkspaceProgress {
  private readonly counted = new Map<string, Counted>();

  constructor(private readonly workspace: string) {}

  private countLines(file: string, now: number): number {
    let known = this.counted.get(file);
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      return 0;
    }
    if (!known || size < known.size) known = { size: 0, lines: 0, firstAt: now, firstLines: -1 };
    if (size > known.size) {
      const fd = fs.openSync(file, "r");
      try {
        const buffer = Buffer.alloc(Math.min(size - known.size, READ_LIMIT));
        const read = fs.readSync(fd, buffer, 0, buffer.length, known.size);
        let lines = 0;
        for (let i = buffer.indexOf(10); i !== -1 && i < read; i = buffer.indexOf(10, i + 1)) lines += 1;
        known = { ...known, size: known.size + read, lines: known.lines + lines };
      } finally {
        fs.closeSync(fd);
      }
    }
    if (known.firstLines === -1) known.firstLines = known.lines;
    this.counted.set(file, known);
    return known.lines;
  }

  /** Every running run of the workspace with its progress: the catalog names them, their run.json counts them. */
  async running(now = Date.now()): Promise<RunProgressView[]> {
    const ids = (await listCatalog(this.workspace, { check: false })).filter((run) => run.summary?.status === "running").map((run) => run.run_id);
    const views: RunProgressView[] = [];
    for (const runId of ids) {
      const dir = path.join(this.workspace, RUNS_DIR, runId);
      let manifest: { status?: string; counts?: { planned?: number; errored?: number }; task?: { name?: string; variant?: string | null } };
      try {
        manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), "utf8"));
      } catch {
        continue; // gone since it was indexed: the catalog names broken runs
      }
      if (manifest.status !== "running") continue;
      const done = this.countLines(path.join(dir, JOURNAL_FILE), now);
      const planned = manifest.counts?.planned ?? 0;
      const known = this.counted.get(path.join(dir, JOURNAL_FILE));
      const seconds = known ? (now - known.firstAt) / 1000 : 0;
      const rate = known && seconds > 0 && done > known.firstLines ? (done - known.firstLines) / seconds : null;
      const spec = manifest.task?.variant ? `${manifest.task.name}:${manifest.task.variant}` : (manifest.task?.name ?? runId);
      views.push({ runId, spec, status: "running", done, planned, errored: manifest.counts?.errored ?? 0, rate, eta: rate ? Math.max(0, planned - done) / rate : null });
    }
    return views;
  }
}
