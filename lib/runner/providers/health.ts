import type OpenAI from "openai";
import { APIConnectionError, APIError } from "openai";
import { causeOf } from "./errors";

/**
 * Before a run starts: the endpoint answers `/models`, and the model to request is one it serves.
 * With no model named, an endpoint serving exactly one model uses it; several is an error listing
 * them. Fails fast with a message saying what to do. Returns the model and who owns it by /models
 * (`owned_by`, which names the server: llamacpp, vllm).
 */
export async function checkEndpoint(client: OpenAI, shownEndpoint: string, servedModel: string | null): Promise<{ id: string; ownedBy: string | null }> {
  let models: { id: string; owned_by?: string }[];
  try {
    // the page's raw body: the SDK reads a missing "data" as no models
    models = ((await client.models.list()) as unknown as { body: { data?: typeof models } }).body.data as typeof models;
  } catch (error) {
    if (error instanceof APIConnectionError) {
      throw new Error(`cannot reach the endpoint ${shownEndpoint}: ${causeOf(error)}; is the server running, and is -m its base URL (ending in /v1)?`);
    }
    if (error instanceof APIError) throw new Error(`the endpoint ${shownEndpoint} refused GET /models (HTTP ${error.status}): ${error.message}; check -m and the API key`);
    throw new Error(`the endpoint ${shownEndpoint} sent an unreadable answer to GET /models: ${(error as Error).message}`);
  }
  if (!Array.isArray(models)) throw new Error(`the endpoint ${shownEndpoint} answered GET /models without its "data" list of models: it does not speak the OpenAI API there; is -m its base URL (ending in /v1)?`);
  const ids = models.map((m) => m.id);
  const chosen = (id: string) => ({ id, ownedBy: models.find((m) => m.id === id)?.owned_by ?? null });
  if (servedModel !== null) {
    if (!ids.includes(servedModel)) throw new Error(`the endpoint ${shownEndpoint} does not serve model ${servedModel}; it serves: ${ids.join(", ") || "no models"}`);
    return chosen(servedModel);
  }
  if (ids.length === 1) return chosen(ids[0]);
  if (ids.length === 0) throw new Error(`the endpoint ${shownEndpoint} lists no models; name one with --served-model`);
  throw new Error(`the endpoint ${shownEndpoint} serves several models (${ids.join(", ")}); choose one with --served-model`);
}
