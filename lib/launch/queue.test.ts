import { describe, expect, it } from "vitest";
import { JobQueue } from "./queue";

/** A job the test ends by hand. */
function deferred() {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { done, finish, fail };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the launch queue", () => {
  it("starts at most `limit` jobs, in order, and the next one when a slot frees", async () => {
    const jobs = Array.from({ length: 5 }, (_, i) => ({ i, ...deferred() }));
    const started: number[] = [];
    const queue = new JobQueue<(typeof jobs)[number]>(2, (job) => {
      started.push(job.i);
      return job.done;
    }, () => undefined);
    for (const job of jobs) queue.add(job);
    expect(started).toEqual([0, 1]);
    expect(queue.running).toBe(2);
    expect(queue.queued.map((j) => j.i)).toEqual([2, 3, 4]);
    jobs[1].finish();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    jobs[0].finish();
    jobs[2].finish();
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it("a queued job can be taken out before it starts; a running one cannot", async () => {
    const jobs = Array.from({ length: 3 }, (_, i) => ({ i, ...deferred() }));
    const started: number[] = [];
    const queue = new JobQueue<(typeof jobs)[number]>(1, (job) => {
      started.push(job.i);
      return job.done;
    }, () => undefined);
    for (const job of jobs) queue.add(job);
    expect(queue.remove(jobs[0])).toBe(false);
    expect(queue.remove(jobs[1])).toBe(true);
    jobs[0].finish();
    await tick();
    expect(started).toEqual([0, 2]);
  });

  it("a job whose start throws is reported and frees its slot", async () => {
    const failures: string[] = [];
    const second = deferred();
    let calls = 0;
    const queue = new JobQueue<string>(1, async (job) => {
      calls += 1;
      if (job === "bad") throw new Error("spawn failed");
      return second.done;
    }, (job, error) => failures.push(`${job}: ${(error as Error).message}`));
    queue.add("bad");
    queue.add("good");
    await tick();
    expect(failures).toEqual(["bad: spawn failed"]);
    expect(calls).toBe(2);
    expect(queue.running).toBe(1);
  });

  it("refuses a limit below 1", () => {
    expect(() => new JobQueue(0, async () => undefined, () => undefined)).toThrow(/at least 1/);
  });
});
