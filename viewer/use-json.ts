// components/series/use-json in the published viewer: the app's API answers were computed at
// publish time and are files in the viewer's folder; one question across checkpoints is read from
// the published Parquet copies by Range; anything else was not published and gets a message.
import { useEffect, useState } from "react";
import { openCompareFile, openRecordsFile } from "@/lib/query/records-file";
import type { PublishedIndex, PublishedRun } from "@/lib/publish/published-index";
import { questionAcrossRuns, type QuestionAtCheckpoint } from "@/lib/series/question";
import { publishedUrls } from "./published-urls";

let answers = new Map<string, string>();
let runs = new Map<string, PublishedRun>();

/** Called once with the index, before anything renders. */
export function setPublishedAnswers(index: PublishedIndex): void {
  answers = new Map([...index.matrices.map((m): [string, string] => [`/api/matrix?${m.query}`, m.path]), ...index.series.flatMap((s) => Object.entries(s.answers))]);
  runs = new Map(index.runs.map((run) => [run.manifest.run_id, run]));
}

/** What /api/series/question answers (`q` and each `run`), from the published copies of the runs. */
function publishedQuestion(params: URLSearchParams): Promise<QuestionAtCheckpoint[]> {
  const files = params.getAll("run").map((id) => {
    const run = runs.get(id);
    if (!run) throw new Error(`run ${id} is not in this published viewer`);
    const source = { runId: id, byteLength: run.records.bytes, urls: publishedUrls(run) };
    const records = () => openRecordsFile(source);
    return { manifest: run.manifest, ids: run.compare ? () => openCompareFile(source) : records, records };
  });
  return questionAcrossRuns(files, params.get("q") ?? "");
}

/** The published answer to one of the app's API addresses. */
export async function fetchJson<T>(url: string): Promise<T> {
  const [route, query = ""] = url.split("?");
  if (route === "/api/series/question") return (await publishedQuestion(new URLSearchParams(query))) as T;
  const path = answers.get(url);
  if (path === undefined) throw new Error("this view was not published; the viewer's home page lists what was");
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return (await response.json()) as T;
}

export function useJson<T>(url: string | null): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ url: string; data: T | null; error: string | null }>({ url: "", data: null, error: null });
  useEffect(() => {
    if (url === null) return;
    let live = true;
    fetchJson<T>(url).then(
      (data) => live && setState({ url, data, error: null }),
      (error: Error) => live && setState({ url, data: null, error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return state.url === url ? state : { data: null, error: null };
}
