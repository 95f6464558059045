import type { Executor, Session } from "./types";

type Opened = Session & { close(): Promise<void> };

/** A session lent out by a pool; `release` returns its slot (the work folder is discarded). */
export interface Lease extends Session {
  release(): Promise<void>;
}

/**
 * A fixed number of sandbox slots of one executor, shared by parallel requests. Each free slot
 * holds a session opened ahead of time (warm), so a request starts executing at once; a released
 * session is discarded with its folder and the slot opens a fresh one, so no question sees
 * another's files.
 */
export class SandboxPool {
  private readonly ready: Promise<Opened>[] = [];
  private readonly free: number[] = [];
  private readonly waiting: ((slot: number) => void)[] = [];
  private closed = false;

  constructor(
    readonly executor: Executor,
    readonly size: number,
  ) {
    for (let slot = 0; slot < size; slot++) {
      this.free.push(slot);
      this.ready[slot] = this.openSlot(slot);
    }
  }

  private openSlot(slot: number): Promise<Opened> {
    const opening = this.executor.open(slot);
    // Held until acquired; a failure surfaces then, with its reason, not as an unhandled rejection.
    opening.catch(() => undefined);
    return opening;
  }

  /** Waits for a free slot and hands out its session. */
  async acquire(signal?: AbortSignal): Promise<Lease> {
    if (this.closed) throw new Error("the sandbox pool is closed");
    const slot = this.free.pop() ?? (await this.waitForSlot(signal));
    let session: Opened;
    try {
      session = await this.ready[slot];
    } catch (error) {
      this.giveBack(slot);
      throw error;
    }
    let released = false;
    return {
      workdir: session.workdir,
      exec: (request, execSignal) => session.exec(request, execSignal),
      putFiles: (from, to) => session.putFiles(from, to),
      takeFiles: (from, to) => session.takeFiles(from, to),
      release: async () => {
        if (released) return;
        released = true;
        await session.close();
        this.giveBack(slot);
      },
    };
  }

  private waitForSlot(signal?: AbortSignal): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(take), 1);
        reject(new Error("cancelled while waiting for a sandbox"));
      };
      const take = (slot: number) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(slot);
      };
      this.waiting.push(take);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  private giveBack(slot: number): void {
    if (this.closed) return;
    this.ready[slot] = this.openSlot(slot);
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.free.push(slot);
  }

  /** Discards the warm sessions of free slots; leased ones are closed by their release. */
  async close(): Promise<void> {
    this.closed = true;
    const idle = this.free.splice(0).map((slot) => this.ready[slot]);
    await Promise.all(idle.map(async (opening) => (await opening.catch(() => null))?.close()));
  }
}
