import { z } from "zod";

/**
 * One row per question x sample. `score` is the primary metric's score; null means unscored
 * (an errored question is never scored as wrong: it carries `error` and a null score).
 */
export const QuestionRecord = z.object({
  run_id: z.string().min(1),
  task: z.string().min(1),
  subtask: z.string().nullable().default(null),
  instance_id: z.string().min(1),
  /** Hash of the question as its dataset defines it (inputs + gold target), see instanceHash(). */
  instance_hash: z.string().min(1),
  sample: z.number().int().nonnegative().default(0),
  cluster_id: z.string().nullable().default(null),
  prompt: z.string().nullable().default(null),
  response: z.string().nullable().default(null),
  extracted: z.string().nullable().default(null),
  target: z.string().nullable().default(null),
  score: z.number().nullable().default(null),
  /** Every metric's score for this question, by metric name. */
  scores: z.record(z.string(), z.number().nullable()).default({}),
  error: z.string().nullable().default(null),
  /** Turns and tool calls of a multi-turn or agentic episode. */
  transcript: z.array(z.unknown()).nullable().default(null),
  input_tokens: z.number().int().nonnegative().nullable().default(null),
  output_tokens: z.number().int().nonnegative().nullable().default(null),
  latency_ms: z.number().nonnegative().nullable().default(null),
  started_at: z.string().datetime({ offset: true }).nullable().default(null),
});

export type QuestionRecord = z.infer<typeof QuestionRecord>;
export type QuestionRecordInput = z.input<typeof QuestionRecord>;
