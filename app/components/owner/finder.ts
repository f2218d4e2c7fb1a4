import { useEffect, useRef, useState } from "react";
import type { Community, HomeFinderAnswer } from "~/server/claims/owner-page.server";

// The public home finder (/owner/homes) asked with plain fetch: a fetcher would first ask the
// server for the route's manifest and load its module, two more round trips before an owner on a
// slow phone connection sees the first communities. A newer question cancels the one before.

type Query = Record<string, string>;

/** How long typing pauses before the communities are asked for. */
const TYPING_PAUSE_MS = 250;
/** As the finder reads a search (owner-page.server.ts): longer is refused there. */
export const COMMUNITY_SEARCH_MAX = 50;

/** A community as the pickers offer it: its name, and its project's when they differ. */
export const communityLabel = (c: Community) =>
  c.communityName === c.projectName ? c.communityName : `${c.communityName}（${c.projectName}）`;

/** Asks `finder` for the communities whose name holds what is typed: once typing pauses, at once for nothing typed. */
export function searchCommunities(finder: ReturnType<typeof useHomeFinder>, typed: string): void {
  const q = typed.trim().slice(0, COMMUNITY_SEARCH_MAX);
  finder.load({ q }, q ? TYPING_PAUSE_MS : 0);
}

const OFFLINE = "网络不通，请检查网络后重试";
const FAILED = "查询失败，请稍后重试";

/** What the finder's refusal says: the field's message (小区名称不能超过50个字), else its own. */
async function refusalOf(response: Response): Promise<string> {
  if (response.status >= 500) return FAILED;
  const body = (await response.json().catch(() => null)) as { message?: string; fields?: Record<string, string> } | null;
  return Object.values(body?.fields ?? {})[0] ?? body?.message ?? FAILED;
}

export function useHomeFinder() {
  const [answer, setAnswer] = useState<{ data?: HomeFinderAnswer; error?: string; for: string } | undefined>(undefined);
  const [asked, setAsked] = useState<string | undefined>(undefined);
  const current = useRef<AbortController | undefined>(undefined);
  const waiting = useRef<ReturnType<typeof setTimeout>>(undefined);
  const cancel = () => {
    clearTimeout(waiting.current);
    current.current?.abort();
  };
  useEffect(() => cancel, []);

  /** Asks, after `pauseMs` (typing pauses) if given; the last answer stops counting at once. */
  const load = (query: Query, pauseMs = 0) => {
    cancel();
    const question = new AbortController();
    current.current = question;
    const key = JSON.stringify(query);
    setAsked(key);
    const settle = (a: { data?: HomeFinderAnswer; error?: string }) => question.signal.aborted || setAnswer({ ...a, for: key });
    const ask = () =>
      fetch(`/owner/homes?${new URLSearchParams(query)}`, { signal: question.signal, headers: { Accept: "application/json" } })
        .then(async (response) =>
          settle(response.ok ? { data: (await response.json()) as HomeFinderAnswer } : { error: await refusalOf(response) }),
        )
        .catch(() => settle({ error: OFFLINE }));
    if (pauseMs > 0) waiting.current = setTimeout(ask, pauseMs);
    else void ask();
  };
  /** Forgets the last answer: what depended on an earlier choice is not offered for a new one. */
  const clear = () => {
    cancel();
    setAsked(undefined);
    setAnswer(undefined);
  };
  // Only an answer to the latest question counts: an older one is not shown for newer text.
  const latest = answer && answer.for === asked ? answer : undefined;
  return { data: latest?.data, error: latest?.error, busy: asked !== undefined && !latest, load, clear };
}
