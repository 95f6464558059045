"use client";

import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import type { JobView, LiveMessage, RunProgressView } from "@/lib/launch/view";

const LaunchesContext = createContext<LiveMessage | null>(null);

/** What, when it changes, changes the catalog: a run started or ended, a job ended, a cluster job changed state. */
const catalogSignature = ({ jobs, workspace }: LiveMessage) =>
  [
    jobs.map((j) => `${j.id}:${j.state}:${j.runs.map((r) => `${r.runId}=${r.status}`).join(",")}`).join(";"),
    (workspace?.runs ?? []).map((r) => `${r.runId}=${r.status}`).join(","),
    (workspace?.cluster ?? []).map((c) => `${c.id}:${c.state}:${c.runs.join(",")}`).join(";"),
  ].join("|");

/**
 * Listens to the server's launch events (server-sent) and shares the jobs and the workspace's live
 * state with the components below; when a run starts or ends, the server-rendered page is
 * refreshed so the catalog shows it.
 */
export function LiveLaunches({ initial, children }: { initial: LiveMessage; children: ReactNode }) {
  const [live, setLive] = useState(initial);
  const router = useRouter();
  const signature = useRef(catalogSignature(initial));
  useEffect(() => {
    const source = new EventSource("/api/launches/events");
    source.onmessage = (event) => {
      const next = JSON.parse(event.data as string) as LiveMessage;
      setLive(next);
      const changed = catalogSignature(next);
      if (changed !== signature.current) {
        signature.current = changed;
        router.refresh();
      }
    };
    // EventSource reconnects by itself after an error (e.g. a server restart)
    return () => source.close();
  }, [router]);
  return <LaunchesContext.Provider value={live}>{children}</LaunchesContext.Provider>;
}

/** The jobs, newest first; empty outside LiveLaunches. */
export function useLaunches(): JobView[] {
  return useContext(LaunchesContext)?.jobs ?? [];
}

/** The workspace's live state (runs going on anywhere, cluster jobs), or why it cannot be read. */
export function useWorkspaceLive(): Pick<LiveMessage, "workspace" | "error"> {
  const live = useContext(LaunchesContext);
  return { workspace: live?.workspace ?? null, error: live?.error ?? null };
}

/**
 * A run's live progress: from the job of this server running it (with that job), else from the
 * workspace, for a run started anywhere (job null).
 */
export function useRunProgress(runId: string): { job: JobView | null; run: RunProgressView } | null {
  const jobs = useLaunches();
  const { workspace } = useWorkspaceLive();
  for (const job of jobs) {
    const run = job.runs.find((r) => r.runId === runId);
    if (run && run.status === "running") return { job, run };
  }
  const run = workspace?.runs.find((r) => r.runId === runId);
  if (run) return { job: null, run };
  for (const job of jobs) {
    const ended = job.runs.find((r) => r.runId === runId);
    if (ended) return { job, run: ended };
  }
  return null;
}
