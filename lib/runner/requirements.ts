import type { Capabilities } from "./providers/probe";
import { allSpecs, resolveTask, type ResolvedTask } from "./registry";

/** The endpoint as messages name it: its server when known, and its address. */
const who = (caps: Capabilities) => (caps.server ? `${caps.server} at ${caps.endpoint}` : `the endpoint ${caps.endpoint}`);

/** The task's multiple-choice specs that need no prompt log-probabilities, best first. */
function mcAlternatives(task: ResolvedTask): string[] {
  const specs = allSpecs().filter((spec) => spec.split(":")[0] === task.name && spec !== task.spec);
  const mc = specs.map((spec) => resolveTask(spec)).filter((t) => t.config.formulation === "mc");
  return [...mc.filter((t) => t.config.mc_top_logprobs !== undefined), ...mc.filter((t) => t.config.mc_top_logprobs === undefined)].map((t) => t.spec);
}

/**
 * What the task needs that the endpoint lacks, as one message naming the gap and what would work;
 * null when the endpoint can run it. Checked for every task before the first question is sent.
 */
export function endpointGap(task: ResolvedTask, caps: Capabilities): string | null {
  const { config, spec } = task;
  if (config.format === "chat" && !caps.chat.ok) return `${spec} is a chat task, and ${who(caps)} refused chat completions (${caps.chat.why}); run it with -o format=completion, or serve the model with a chat template`;
  if (config.format === "completion" && !caps.completions.ok) return `${spec} is a completion task, and ${who(caps)} refused /completions (${caps.completions.why}); run it with -o format=chat`;
  if (config.formulation === "rc") {
    const missing = !caps.promptLogprobs.ok ? `does not return prompt log-probabilities (${caps.promptLogprobs.why})` : !caps.batch.ok ? `does not answer several prompts in one request (${caps.batch.why})` : null;
    if (missing === null) return null;
    const alternatives = mcAlternatives(task);
    const instead = alternatives.length > 0 ? `run the mc formulation of this task (${alternatives.join(" or ")})` : "run a generative formulation of this task";
    return `${spec} ranks answers by their log-likelihood, and ${who(caps)} ${missing}; ${instead}, or serve the model with vLLM (see docs/endpoints.md)`;
  }
  if (config.mc_top_logprobs !== undefined && caps.topLogprobs === 0) {
    const what = caps.logprobs === null ? "returns no logprobs with its completions" : "returns no top alternatives with its logprobs";
    return `${spec} picks the answer letter from the next token's top log-probabilities, and ${who(caps)} ${what}; run ${task.name} (the letter generated) instead`;
  }
  return null;
}
