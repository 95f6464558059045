import http from "node:http";
import https from "node:https";

/**
 * An answer read whole: `text()` and `json()` read the bytes directly. A Response built with a
 * body would wrap them in a web stream first, which costs more than parsing them. There is no
 * `body` stream: the runner never streams (an SSE consumer would be told there is no body).
 */
class WholeResponse extends Response {
  constructor(
    private readonly whole: Buffer,
    init: ResponseInit,
  ) {
    super(null, init);
  }

  override async text(): Promise<string> {
    return this.whole.toString("utf8");
  }

  override async json(): Promise<unknown> {
    return JSON.parse(this.whole.toString("utf8"));
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(this.whole);
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer;
  }

  override async blob(): Promise<Blob> {
    return new Blob([await this.bytes()]);
  }
}

/**
 * A `fetch` for the OpenAI SDK over node:http(s) with keep-alive agents, answers read whole.
 * Undici's fetch spends more CPU per request than a model server on loopback does (web streams,
 * request cloning, signal following): at a concurrency of 64 against a fast server, that CPU is
 * the run's request rate. The SDK only ever sends JSON text here and reads JSON back, so the
 * lean path covers every request it makes; any other body goes to the global fetch.
 * Like fetch, it aborts on the signal (rejecting with the signal's reason) and does not retry;
 * unlike fetch it follows no redirects (an OpenAI-compatible API answers where it is asked).
 */
export function keepAliveFetch(): typeof fetch {
  // Unbounded sockets per host, as the global fetch's pool: the runner's limiter bounds concurrency.
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({ keepAlive: true });
  return (input, init = {}) => {
    const body = init.body ?? undefined;
    if (input instanceof Request || (body !== undefined && typeof body !== "string")) return fetch(input, init);
    const url = new URL(input);
    const [request, agent] = url.protocol === "https:" ? [https.request, httpsAgent] : [http.request, httpAgent];
    const signal = init.signal ?? undefined;
    return new Promise<Response>((resolve, reject) => {
      const fail = (error: unknown) => reject(signal?.aborted ? signal.reason : error);
      const req = request(url, { method: init.method ?? "GET", headers: plainHeaders(init.headers), agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", fail);
        // A connection closed before the last byte ends the response without 'end' (or 'error').
        res.on("close", () => res.complete || fail(new Error("terminated: the connection closed before the whole response arrived")));
        res.on("end", () => {
          try {
            const headers: [string, string][] = [];
            for (let i = 0; i < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
            resolve(new WholeResponse(Buffer.concat(chunks), { status: res.statusCode, statusText: res.statusMessage, headers }));
          } catch (error) {
            // A status or header fetch would refuse too (e.g. status 999).
            fail(error);
          }
        });
      });
      req.on("error", fail);
      req.end(body);
    });
  };
}

function plainHeaders(headers: HeadersInit | undefined): Record<string, string> {
  const plain: Record<string, string> = {};
  if (headers) (headers instanceof Headers ? headers : new Headers(headers)).forEach((value, name) => (plain[name] = value));
  return plain;
}
