/**
 * Starts jobs in order, at most `limit` at a time: launching twenty runs starts two and queues
 * eighteen. `start` resolves when its job has ended, which frees the slot.
 */
export class JobQueue<J> {
  private readonly waiting: J[] = [];
  private readonly active = new Set<J>();

  constructor(
    private readonly limit: number,
    private readonly start: (job: J) => Promise<void>,
    /** A start that threw: the job is told why; its slot is freed all the same. */
    private readonly failed: (job: J, error: unknown) => void,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`the launch queue needs a limit of at least 1, got ${limit}`);
  }

  add(job: J): void {
    this.waiting.push(job);
    this.pump();
  }

  /** Takes a job out before it started; false when it is not waiting (running, or ended). */
  remove(job: J): boolean {
    const index = this.waiting.indexOf(job);
    if (index === -1) return false;
    this.waiting.splice(index, 1);
    return true;
  }

  get running(): number {
    return this.active.size;
  }

  get queued(): readonly J[] {
    return this.waiting;
  }

  private pump(): void {
    while (this.active.size < this.limit && this.waiting.length > 0) {
      const job = this.waiting.shift() as J;
      this.active.add(job);
      void this.start(job)
        .catch((error: unknown) => this.failed(job, error))
        .finally(() => {
          this.active.delete(job);
          this.pump();
        });
    }
  }
}
