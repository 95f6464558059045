"use client";

import { useEffect, useState } from "react";

/** GETs JSON from the app's API: null while loading (or while `url` is null: not yet asked), or the server's own reason when it fails. */
export function useJson<T>(url: string | null): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ url: string; data: T | null; error: string | null }>({ url: "", data: null, error: null });
  useEffect(() => {
    if (url === null) return;
    let live = true;
    fetchJson<T>(url)
      .then((data) => live && setState({ url, data, error: null }))
      .catch((error: Error) => live && setState({ url, data: null, error: error.message }));
    return () => {
      live = false;
    };
  }, [url]);
  return state.url === url ? state : { data: null, error: null };
}

export async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ?? `the server answered ${response.status}`);
  return body as T;
}
