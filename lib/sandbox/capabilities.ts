import { z } from "zod";

/** What a task or tool needs from the place its code runs. */
export const Needs = z
  .object({
    python: z.boolean().default(false),
    shell: z.boolean().default(false),
    /** "none": the code must not reach any network; "internet": it may. */
    network: z.enum(["none", "internet"]).default("none"),
    /** A named environment (a container image, a prepared toolchain); null = any. */
    environment: z.string().min(1).nullable().default(null),
    /** Model-written code: only an executor that really isolates may run it. */
    untrusted: z.boolean().default(true),
  })
  .strict();
export type Needs = z.infer<typeof Needs>;
export type NeedsInput = z.input<typeof Needs>;

/** What an executor offers, stated honestly: `isolated` only when it really confines the code. */
export interface Capabilities {
  isolated: boolean;
  python: boolean;
  shell: boolean;
  network: "none" | "internet";
  environments: string[];
  /** Isolation features the host could not provide, and why (shown to the user). */
  limitations: string[];
}

/** Why an executor cannot serve a request; empty when it can. */
export function unmetNeeds(needs: Needs, offered: Capabilities): string[] {
  const unmet: string[] = [];
  if (needs.untrusted && !offered.isolated) unmet.push("it does not isolate untrusted code");
  if (needs.python && !offered.python) unmet.push("it has no python");
  if (needs.shell && !offered.shell) unmet.push("it has no shell");
  if (needs.network !== offered.network) unmet.push(needs.network === "none" ? "its code can reach the network" : "its code cannot reach the network");
  if (needs.environment !== null && !offered.environments.includes(needs.environment)) unmet.push(`it has no environment ${needs.environment} (it has: ${offered.environments.join(", ") || "none"})`);
  return unmet;
}

/** The union of several needs: what one sandbox must offer to serve all of them. */
export function combineNeeds(all: readonly Needs[]): Needs {
  const environments = [...new Set(all.map((n) => n.environment).filter((e): e is string => e !== null))];
  if (environments.length > 1) throw new Error(`one question needs two environments (${environments.join(", ")}); give its tools and task one environment`);
  const networks = new Set(all.map((n) => n.network));
  if (networks.size > 1) throw new Error("one question needs both no network and the internet; its tools and task must agree on network access");
  return {
    python: all.some((n) => n.python),
    shell: all.some((n) => n.shell),
    network: all[0]?.network ?? "none",
    environment: environments[0] ?? null,
    untrusted: all.some((n) => n.untrusted),
  };
}
