import type { TranscriptEntry } from "@/lib/schema/transcript";
import type { AgentMessage, ToolCall } from "../providers/types";
import { toolSpec, type Tool, type ToolOutput } from "../tools/define-tool";
import type { Scaffold, ScaffoldContext } from "./types";

/** Runs one tool call; a call the model got wrong (unknown tool, bad arguments) is an error it is told about. */
async function callTool(call: ToolCall, tools: ReadonlyMap<string, Tool>, context: ScaffoldContext): Promise<ToolOutput> {
  const tool = tools.get(call.name);
  if (!tool) return { output: "", error: `unknown tool ${call.name}; the tools are: ${[...tools.keys()].join(", ")}` };
  let json: unknown;
  try {
    json = JSON.parse(call.arguments || "{}");
  } catch (error) {
    return { output: "", error: `the arguments are not valid JSON (${(error as Error).message})` };
  }
  const args = tool.parameters.safeParse(json);
  if (!args.success) return { output: "", error: `invalid arguments: ${args.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}` };
  return tool.run(args.data, { sandbox: context.sandbox, signal: context.signal });
}

/** What the model reads back from a tool call. */
const toolMessage = (result: ToolOutput) => (result.error && !result.output ? `error: ${result.error}` : result.output);

/**
 * The tool-calling agent loop over the chat API: ask with the tools offered; run every tool the
 * model calls (in order) and send back the results; repeat until the model answers without
 * calling a tool, or the turn or token budget is spent. The answer is the last assistant text;
 * the transcript holds every message, call, result, timing and token count.
 */
export const agentLoop: Scaffold = {
  async run(request, context) {
    const { rendered, ...sampling } = request;
    if (rendered.kind !== "chat") throw new Error("the agent scaffold talks over the chat API; it needs a chat-format task (-o format=chat)");
    const { provider, signal, send, budget } = context;
    const specs = context.tools.map(toolSpec);
    const tools = new Map(context.tools.map((t) => [t.name, t]));
    const messages: AgentMessage[] = [...rendered.messages];
    const transcript: TranscriptEntry[] = rendered.messages.map((m) => ({ kind: "message", role: m.role, content: m.content }));
    const tokens = { input: 0, output: 0, reported: false };
    let answer = "";

    const stop = (reason: "answer" | "max_turns" | "max_tokens", detail: string) => {
      transcript.push({ kind: "stop", reason, detail });
      return { text: answer, transcript, input_tokens: tokens.reported ? tokens.input : null, output_tokens: tokens.reported ? tokens.output : null };
    };

    for (let turn = 0; ; turn++) {
      if (turn >= budget.max_turns) return stop("max_turns", `stopped after ${budget.max_turns} turns without a final answer`);
      const spent = tokens.input + tokens.output;
      if (spent >= budget.max_tokens) return stop("max_tokens", `stopped after ${spent} tokens (budget ${budget.max_tokens}) without a final answer`);
      const t0 = performance.now();
      const reply = await send(() => provider.chat({ ...sampling, messages, tools: specs }, signal));
      tokens.input += reply.input_tokens ?? 0;
      tokens.output += reply.output_tokens ?? 0;
      tokens.reported ||= reply.input_tokens !== null || reply.output_tokens !== null;
      if (reply.content) answer = reply.content;
      const calls = reply.tool_calls;
      transcript.push({ kind: "message", role: "assistant", content: reply.content, ...(calls.length ? { tool_calls: calls } : {}), finish_reason: reply.finish_reason, input_tokens: reply.input_tokens, output_tokens: reply.output_tokens, latency_ms: Math.round(performance.now() - t0) });
      messages.push({ role: "assistant", content: reply.content || null, ...(calls.length ? { tool_calls: calls } : {}) });
      if (calls.length === 0) return stop("answer", `answered after ${turn + 1} turn${turn === 0 ? "" : "s"}`);
      for (const call of calls) {
        const started = performance.now();
        const result = await callTool(call, tools, context);
        transcript.push({ kind: "tool", call_id: call.id, name: call.name, arguments: call.arguments, output: result.output, error: result.error, duration_ms: Math.round(performance.now() - started) });
        messages.push({ role: "tool", tool_call_id: call.id, content: toolMessage(result) });
      }
    }
  },
};
