// Who may reach the server: loopback needs nothing; any other address needs EVALBENCH_TOKEN,
// because then anyone who can reach the port could launch runs and write to the workspace.
// npm start checks it before starting; the server (proxy.ts) checks it again on every request, so
// `next start -H ADDRESS` run by hand is held to the same rule.

export const LOOPBACK = ["127.0.0.1", "localhost", "::1"];

/** Shortest token accepted: long enough that guessing it over the network is hopeless. */
export const MIN_TOKEN_LENGTH = 16;

/** Fewest different characters in a token: "aaaaaaaaaaaaaaaa" is long but guessable. */
export const MIN_TOKEN_DISTINCT = 8;

/** Why the server must not listen on `host` with this environment, or null when it may. */
export function hostProblem(host, env) {
  const token = env.EVALBENCH_TOKEN ?? "";
  if (token !== "" && token.length < MIN_TOKEN_LENGTH) {
    return `EVALBENCH_TOKEN is ${token.length} characters; use at least ${MIN_TOKEN_LENGTH} random ones (e.g. openssl rand -hex 32)`;
  }
  const distinct = new Set(token).size;
  if (token !== "" && distinct < MIN_TOKEN_DISTINCT) {
    return `EVALBENCH_TOKEN has only ${distinct} different characters, which is guessable; use a random one (e.g. openssl rand -hex 32)`;
  }
  if (LOOPBACK.includes(host) || token !== "") return null;
  return `refusing to listen on ${host} without EVALBENCH_TOKEN: anyone reaching that address could launch runs and write to the workspace. Set EVALBENCH_TOKEN to a long random secret (openssl rand -hex 32) and open the app once at http://${host}:PORT/?token=THE_TOKEN, or keep the default 127.0.0.1 and use an SSH tunnel`;
}
