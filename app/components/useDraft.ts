import type { Form } from "@formily/core";
import { useCallback, useEffect, useRef, useState } from "react";

// A task form's draft (草稿), saved on the server while the user types: a second after the last
// change, one request at a time, through the task's draft resource route (plain fetch: a save
// must not reload the page's loaders, whose new data would reset the form).

export type DraftSaveState = { kind: "idle" } | { kind: "saving" } | { kind: "saved"; at: string } | { kind: "failed"; message: string };

export interface RestoredDraft {
  values: Record<string, unknown>;
  savedAt: string;
}

const SAVE_DELAY_MS = 1000;
const draftUrl = (taskId: string) => `/tasks/${encodeURIComponent(taskId)}/draft`;
const RETRY_DELAY_MS = 5000;
const NETWORK_FAILURE = "草稿保存失败，请检查网络连接";

/**
 * Sends a form's values to the draft route, debounced, one request at a time, the newest values
 * last. Stops for good when the server says the draft can never be saved (the task was done, or
 * is no longer the user's).
 */
class DraftSaver {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: string | null = null;
  private lastSaved: string | null = null;
  private inFlight: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly report: (state: DraftSaveState) => void,
  ) {}

  /** The values a form starts with: nothing to save until they change. */
  baseline(values: unknown): void {
    this.lastSaved = JSON.stringify({ values });
    this.pending = null;
    clearTimeout(this.timer);
  }

  changed(values: unknown): void {
    if (this.stopped) return;
    const body = JSON.stringify({ values });
    clearTimeout(this.timer);
    this.pending = body === this.lastSaved ? null : body;
    if (this.pending) this.timer = setTimeout(() => void this.send(), SAVE_DELAY_MS);
  }

  /** Sends what is waiting now (the page is being left): keepalive lets it outlive the page. */
  flush(): void {
    clearTimeout(this.timer);
    if (this.pending && !this.inFlight && !this.stopped) void this.send(true);
  }

  /** No more saves until `resume`; resolves once a save under way has landed. */
  async pause(): Promise<void> {
    this.stopped = true;
    this.pending = null;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  resume(): void {
    this.stopped = false;
  }

  private async send(keepalive = false): Promise<void> {
    if (this.inFlight || !this.pending || this.stopped) return;
    const body = this.pending;
    this.pending = null;
    this.report({ kind: "saving" });
    this.inFlight = this.post(body, keepalive);
    await this.inFlight;
    this.inFlight = null;
    if (this.pending) void this.send();
  }

  private async post(body: string, keepalive: boolean): Promise<void> {
    try {
      const response = await fetch(this.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body,
        credentials: "same-origin",
        keepalive,
      });
      const answer = (await response.json().catch(() => null)) as { savedAt?: string; message?: string } | null;
      if (response.ok && answer?.savedAt) {
        this.lastSaved = body;
        this.report({ kind: "saved", at: answer.savedAt });
        return;
      }
      // 404/403/409: this task's draft cannot be saved now or later; 422: too large until shortened.
      if ([403, 404, 409].includes(response.status)) this.stopped = true;
      this.report({ kind: "failed", message: answer?.message ? `草稿未能保存：${answer.message}` : NETWORK_FAILURE });
    } catch {
      this.report({ kind: "failed", message: NETWORK_FAILURE });
      this.pending ??= body;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.send(), RETRY_DELAY_MS);
    }
  }
}

export interface DraftControl {
  /** The draft the page opened with, until it is discarded. */
  restored: RestoredDraft | null;
  /** Changes when the form must start again from the stored values (after 放弃草稿). */
  generation: number;
  state: DraftSaveState;
  /** Whether a draft of this visit or a restored one is on the server. */
  exists: boolean;
  /** Saves the form's values as they change; returns the cleanup (which sends what is still waiting). */
  watch(form: Form): () => void;
  /** 放弃草稿: drops the draft on the server and starts the form again from the stored values. */
  discard(): Promise<void>;
  /**
   * The form is being submitted: nothing more is saved (a save after it would only be refused, the
   * task being done) until `resume`, when the submission was refused.
   */
  hold(): void;
  resume(): void;
}

/**
 * The draft of the task `taskId` for its page. `initial` is the draft the page's loader found; it
 * is kept from the first render on, so that later reloads of the page's data (after a comment, or
 * a refused submission) never reset the form with a draft saved since.
 */
export function useDraft(taskId: string, initial: RestoredDraft | null): DraftControl {
  const [restored, setRestored] = useState(initial);
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<DraftSaveState>({ kind: "idle" });
  // The page stays mounted when it moves to another task: that task's draft starts afresh.
  const [shownTask, setShownTask] = useState(taskId);
  if (shownTask !== taskId) {
    setShownTask(taskId);
    setRestored(initial);
    setState({ kind: "idle" });
  }
  const live = useRef(true);
  const saver = useRef<{ taskId: string; saver: DraftSaver } | null>(null);
  if (saver.current?.taskId !== taskId) {
    const report = (s: DraftSaveState) => {
      if (live.current && saver.current?.taskId === taskId) setState(s);
    };
    saver.current = { taskId, saver: new DraftSaver(draftUrl(taskId), report) };
  }

  useEffect(() => {
    live.current = true;
    const leave = () => saver.current?.saver.flush();
    window.addEventListener("pagehide", leave);
    return () => {
      live.current = false;
      window.removeEventListener("pagehide", leave);
    };
  }, []);

  const watch = useCallback((form: Form) => {
    const id = Symbol("draft");
    const current = saver.current!.saver;
    let stopped = false;
    // Formily's own functions come with the form's scripts (components/FormilyForm), in by now.
    void import("./formily-values").then(({ onFormValuesChange, toJS }) => {
      if (stopped) return;
      current.baseline(toJS(form.values));
      form.addEffects(id, () => {
        onFormValuesChange((f) => current.changed(toJS(f.values)));
      });
    });
    return () => {
      stopped = true;
      form.removeEffects(id);
      current.flush();
    };
  }, []);

  const discard = useCallback(async () => {
    const current = saver.current!.saver;
    await current.pause();
    try {
      const response = await fetch(draftUrl(taskId), {
        method: "DELETE",
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        const answer = (await response.json().catch(() => null)) as { message?: string } | null;
        setState({ kind: "failed", message: answer?.message ? `草稿未能放弃：${answer.message}` : "草稿未能放弃，请检查网络连接" });
        return;
      }
      setRestored(null);
      setState({ kind: "idle" });
      setGeneration((g) => g + 1);
    } catch {
      setState({ kind: "failed", message: "草稿未能放弃，请检查网络连接" });
    } finally {
      current.resume();
    }
  }, [taskId]);

  const hold = useCallback(() => void saver.current?.saver.pause(), []);
  const resume = useCallback(() => saver.current?.saver.resume(), []);
  return { restored, generation, state, exists: !!restored || state.kind === "saved", watch, discard, hold, resume };
}
