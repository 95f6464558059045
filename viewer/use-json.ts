// components/series/use-json in the published viewer: the app's API answers were computed at
// publish time and are files in the viewer's folder; a question nobody published gets a message.
import { useEffect, useState } from "react";
import type { PublishedIndex } from "@/lib/publish/published-index";

let published: PublishedIndex["matrices"] = [];

/** Called once with the index, before anything renders. */
export function setPublishedAnswers(index: PublishedIndex): void {
  published = index.matrices;
}

function publishedPath(url: string): string | null {
  const [route, query] = url.split("?");
  return route === "/api/matrix" ? (published.find((m) => m.query === query)?.path ?? null) : null;
}

export function useJson<T>(url: string | null): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ url: string; data: T | null; error: string | null }>({ url: "", data: null, error: null });
  useEffect(() => {
    if (url === null) return;
    let live = true;
    const path = publishedPath(url);
    const answer = path === null ? Promise.reject(new Error("this view was not published; the viewer's home page lists what was")) : fetch(path).then((r) => (r.ok ? (r.json() as Promise<T>) : Promise.reject(new Error(`${path} answered ${r.status}`))));
    answer.then(
      (data) => live && setState({ url, data, error: null }),
      (error: Error) => live && setState({ url, data: null, error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return state.url === url ? state : { data: null, error: null };
}
