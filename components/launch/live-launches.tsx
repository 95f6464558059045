"use client";

import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import type { JobView, RunProgressView } from "@/lib/launch/view";

const LaunchesContext = createContext<JobView[] | null>(null);

/** What, when it changes, changes the catalog: a run started or ended, a job ended. */
const catalogSignature = (jobs: JobView[]) => jobs.map((j) => `${j.id}:${j.state}:${j.runs.map((r) => `${r.runId}=${r.status}`).join(",")}`).join(";");

/**
 * Listens to the server's launch events (server-sent) and shares the jobs with the components
 * below; when a run starts or ends, the server-rendered page is refreshed so the catalog shows it.
 */
export function LiveLaunches({ initial, children }: { initial: JobView[]; children: ReactNode }) {
  const [jobs, setJobs] = useState(initial);
  const router = useRouter();
  const signature = useRef(catalogSignature(initial));
  useEffect(() => {
    const source = new EventSource("/api/launches/events");
    source.onmessage = (event) => {
      const next = (JSON.parse(event.data as string) as { jobs: JobView[] }).jobs;
      setJobs(next);
      const changed = catalogSignature(next);
      if (changed !== signature.current) {
        signature.current = changed;
        router.refresh();
      }
    };
    // EventSource reconnects by itself after an error (e.g. a server restart)
    return () => source.close();
  }, [router]);
  return <LaunchesContext.Provider value={jobs}>{children}</LaunchesContext.Provider>;
}

/** The jobs, newest first; empty outside LiveLaunches. */
export function useLaunches(): JobView[] {
  return useContext(LaunchesContext) ?? [];
}

/** A run's live progress and its job, when a job of this server is running it. */
export function useRunProgress(runId: string): { job: JobView; run: RunProgressView } | null {
  for (const job of useLaunches()) {
    const run = job.runs.find((r) => r.runId === runId);
    if (run) return { job, run };
  }
  return null;
}
