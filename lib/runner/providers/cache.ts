import fs from "node:fs";
import path from "node:path";
import { contentHash } from "@/lib/schema/hash";
import type { ChatRequest, ChatTurn, GenerateRequest, Generation, Likelihood, LikelihoodRequest, NextToken, NextTokenRequest, Provider, Usage } from "./types";

/**
 * Answers already received, on disk, keyed by the request's content (endpoint, model, kind,
 * body); never by credentials. A re-run or a resume asks the endpoint nothing it already answered.
 */
export class RequestCache {
  constructor(readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async get<T>(key: string): Promise<T | null> {
    try {
      return JSON.parse(await fs.promises.readFile(this.file(key), "utf8")) as T;
    } catch {
      // Absent, or a write a kill cut short: either way not cached.
      return null;
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    const file = this.file(key);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.${Math.floor(Math.random() * 1e9)}.tmp`;
    await fs.promises.writeFile(partial, JSON.stringify(value));
    await fs.promises.rename(partial, file);
  }
}

/** A provider that answers from the cache when it can and fills it when it cannot. */
export class CachedProvider implements Provider {
  constructor(
    private readonly inner: Provider,
    private readonly cache: RequestCache,
  ) {}

  get model(): string {
    return this.inner.model;
  }

  get endpoint(): string {
    return this.inner.endpoint;
  }

  private key(kind: string, body: unknown): string {
    return contentHash({ endpoint: this.endpoint, model: this.model, kind, body });
  }

  async generate(request: GenerateRequest, signal: AbortSignal): Promise<Generation> {
    const key = this.key("generate", request);
    const hit = await this.cache.get<Generation>(key);
    if (hit) return hit;
    const result = await this.inner.generate(request, signal);
    await this.cache.set(key, result);
    return result;
  }

  async chat(request: ChatRequest, signal: AbortSignal): Promise<ChatTurn> {
    const key = this.key("chat", request);
    const hit = await this.cache.get<ChatTurn>(key);
    if (hit) return hit;
    const result = await this.inner.chat(request, signal);
    await this.cache.set(key, result);
    return result;
  }

  async loglikelihoods(requests: readonly LikelihoodRequest[], signal: AbortSignal): Promise<Likelihood[] & Usage> {
    const key = this.key("loglikelihoods", requests);
    const hit = await this.cache.get<{ results: Likelihood[] } & Usage>(key);
    if (hit) return Object.assign(hit.results, { input_tokens: hit.input_tokens, output_tokens: hit.output_tokens });
    const result = await this.inner.loglikelihoods(requests, signal);
    await this.cache.set(key, { results: [...result], input_tokens: result.input_tokens, output_tokens: result.output_tokens });
    return result;
  }

  async nextToken(request: NextTokenRequest, signal: AbortSignal): Promise<NextToken> {
    const key = this.key("next-token", request);
    const hit = await this.cache.get<NextToken>(key);
    if (hit) return hit;
    const result = await this.inner.nextToken(request, signal);
    await this.cache.set(key, result);
    return result;
  }
}
