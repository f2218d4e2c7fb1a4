import { useEffect, useRef, useState } from "react";
import type { HomeFinderAnswer } from "~/server/claims/owner-page.server";

// The public home finder (/owner/homes) asked with plain fetch: a fetcher would first ask the
// server for the route's manifest and load its module, two more round trips before an owner on a
// slow phone connection sees the first communities. A newer question cancels the one before.

export function useHomeFinder() {
  const [data, setData] = useState<HomeFinderAnswer | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const current = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => current.current?.abort(), []);
  const load = (query: Record<string, string>) => {
    current.current?.abort();
    const asked = new AbortController();
    current.current = asked;
    setBusy(true);
    fetch(`/owner/homes?${new URLSearchParams(query)}`, { signal: asked.signal, headers: { Accept: "application/json" } })
      .then((response) => response.json() as Promise<HomeFinderAnswer>)
      .then((answer) => asked.signal.aborted || setData(answer))
      // A refused or lost question leaves the last answer; the owner types on or picks again.
      .catch(() => undefined)
      .finally(() => current.current === asked && setBusy(false));
  };
  return { data, busy, load };
}
