import { z } from "zod";

/**
 * Entries of a record's `transcript` for generated answers: the conversation (messages, tool
 * calls and their results), why it stopped, the code tests and judge verdicts. Rank-
 * classification records keep their choice log-likelihoods there instead (no `kind`).
 */
export const TranscriptToolCall = z.object({ id: z.string(), name: z.string(), arguments: z.string() });

export const TranscriptEntry = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("message"),
    role: z.enum(["system", "user", "assistant"]),
    content: z.string().nullable(),
    tool_calls: z.array(TranscriptToolCall).optional(),
    finish_reason: z.string().nullable().optional(),
    input_tokens: z.number().nullable().optional(),
    output_tokens: z.number().nullable().optional(),
    latency_ms: z.number().optional(),
  }),
  z.object({ kind: z.literal("tool"), call_id: z.string(), name: z.string(), arguments: z.string(), output: z.string(), error: z.string().nullable(), duration_ms: z.number() }),
  z.object({ kind: z.literal("stop"), reason: z.enum(["answer", "max_turns", "max_tokens"]), detail: z.string() }),
  z.object({
    kind: z.literal("tests"),
    passed: z.boolean(),
    exit_code: z.number().nullable(),
    failure: z.string().nullable(),
    reason: z.string().nullable(),
    output: z.string(),
    duration_ms: z.number(),
  }),
  z.object({ kind: z.literal("judge"), judge: z.string(), model: z.string(), verdict: z.string(), score: z.number().nullable(), rationale: z.string() }),
]);
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;
