import type OpenAI from "openai";
import { APIConnectionError, APIError } from "openai";
import { causeOf } from "./errors";

/**
 * Before a run starts: the endpoint answers `/models`, and the model to request is one it serves.
 * With no model named, an endpoint serving exactly one model uses it; several is an error listing
 * them. Fails fast with a message saying what to do.
 */
export async function checkEndpoint(client: OpenAI, shownEndpoint: string, servedModel: string | null): Promise<string> {
  let ids: string[];
  try {
    const page = await client.models.list();
    ids = page.data.map((m) => m.id);
  } catch (error) {
    if (error instanceof APIConnectionError) {
      throw new Error(`cannot reach the endpoint ${shownEndpoint}: ${causeOf(error)}; is the server running, and is -m its base URL (ending in /v1)?`);
    }
    if (error instanceof APIError) throw new Error(`the endpoint ${shownEndpoint} refused GET /models (HTTP ${error.status}): ${error.message}; check -m and the API key`);
    throw new Error(`the endpoint ${shownEndpoint} sent an unreadable answer to GET /models: ${(error as Error).message}`);
  }
  if (servedModel !== null) {
    if (!ids.includes(servedModel)) throw new Error(`the endpoint ${shownEndpoint} does not serve model ${servedModel}; it serves: ${ids.join(", ") || "no models"}`);
    return servedModel;
  }
  if (ids.length === 1) return ids[0];
  if (ids.length === 0) throw new Error(`the endpoint ${shownEndpoint} lists no models; name one with --served-model`);
  throw new Error(`the endpoint ${shownEndpoint} serves several models (${ids.join(", ")}); choose one with --served-model`);
}
