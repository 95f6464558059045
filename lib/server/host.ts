import { hostProblem, LOOPBACK } from "@/scripts/host-rule.mjs";

type Env = Record<string, string | undefined>;

const bare = (host: string) => host.replace(/^\[(.*)\]$/, "$1").toLowerCase();

/**
 * The address this server listens on: `-H`/`--hostname` of `next start`, else the origin Next
 * recorded once listening (`next dev` serves from a child process without the flag). Next records
 * "localhost" when it was given no address, and then it listens on every interface.
 */
export function listenHost(argv: readonly string[], env: Env): string {
  for (const [i, arg] of argv.entries()) {
    if (arg === "-H" || arg === "--hostname") return bare(argv[i + 1] ?? "0.0.0.0");
    if (arg.startsWith("--hostname=")) return bare(arg.slice("--hostname=".length));
  }
  const recorded = env.__NEXT_PRIVATE_ORIGIN ? bare(new URL(env.__NEXT_PRIVATE_ORIGIN).hostname) : "localhost";
  return recorded === "localhost" ? "0.0.0.0" : recorded;
}

/** Host names the server answers to: loopback, the address it was started on, EVALBENCH_ALLOWED_HOSTS. */
export function allowedHostnames(listen: string, env: Env): string[] {
  const extra = (env.EVALBENCH_ALLOWED_HOSTS ?? "").split(",").map((name) => bare(name.trim())).filter(Boolean);
  return [...new Set([...LOOPBACK, ...(env.HOST ? [bare(env.HOST)] : []), listen, ...extra])];
}

function hostnameOf(hostHeader: string): string | null {
  try {
    return bare(new URL(`http://${hostHeader}`).hostname);
  } catch {
    return null;
  }
}

/**
 * Why this server must not answer a request, checked before any handler runs: the host rule of
 * npm start (a non-loopback address needs a good token), then the Host header, which must be a
 * name the server answers to. A page on a foreign name that resolves to 127.0.0.1 (DNS
 * rebinding) is same-origin with itself, so only the Host name tells it apart.
 */
export function requestRefusal(hostHeader: string | null, argv: readonly string[], env: Env): { status: number; message: string } | null {
  const listen = listenHost(argv, env);
  const problem = hostProblem(listen, env);
  if (problem) return { status: 403, message: `evalbench: ${problem}` };
  const name = hostHeader ? hostnameOf(hostHeader) : null;
  const allowed = allowedHostnames(listen, env);
  if (name !== null && allowed.includes(name)) return null;
  const shown = allowed.map((host) => (host.includes(":") ? `[${host}]` : host)).join(", ");
  return {
    status: 421,
    message: `evalbench answers only to ${shown}, not to ${hostHeader ? `"${hostHeader}"` : "a request without a Host"}: open it at one of those, or add the name to EVALBENCH_ALLOWED_HOSTS (comma-separated)`,
  };
}
