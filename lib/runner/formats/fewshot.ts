import { mulberry32 } from "@/lib/stats/rng";
import type { Question } from "../task";

/**
 * The few-shot exemplars: `n` questions drawn from the pool by a seeded shuffle (Fisher-Yates on
 * mulberry32), the same for every question of a subtask so prompts share a prefix. A pool that is
 * the evaluated split itself never lends a question to its own prompt.
 */
export function selectShots(pool: readonly Question[], n: number, seed: number, exclude?: string): Question[] {
  if (n === 0) return [];
  const order = pool.map((_, i) => i);
  const rand = mulberry32(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const shots: Question[] = [];
  for (const i of order) {
    if (shots.length === n) break;
    if (pool[i].id !== exclude) shots.push(pool[i]);
  }
  return shots;
}
