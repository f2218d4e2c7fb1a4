import { useFetcher } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type InputHTMLAttributes, type ReactNode } from "react";
import { useHydrated } from "./hydrated";

// The owners' page's forms, in plain HTML: values posted as JSON to the page's action through a
// fetcher; the server's field errors shown under their fields (the typed input stays), other
// errors above the form.

export interface ActionAnswer {
  ok: boolean;
  message?: string;
  fields?: Record<string, string>;
}

/**
 * A form posting `intent` with its values. `check` gives the messages of what is missing before
 * anything is sent; `onSuccess` and `onFailure` get the action's answer.
 */
export function useActionForm<A extends ActionAnswer>({
  intent,
  onSuccess,
  onFailure,
}: {
  intent: string;
  onSuccess?: (answer: A) => void;
  onFailure?: (answer: A) => void;
}) {
  const fetcher = useFetcher();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const seen = useRef<A | undefined>(undefined);
  const answer = (fetcher.state === "idle" ? fetcher.data : undefined) as A | undefined;
  const handlers = useRef({ onSuccess, onFailure });
  handlers.current = { onSuccess, onFailure };

  useEffect(() => {
    if (!answer || seen.current === answer) return;
    seen.current = answer;
    if (answer.ok) return handlers.current.onSuccess?.(answer);
    setErrors(Object.fromEntries(Object.entries(answer.fields ?? {}).filter(([name]) => name !== "form")));
    handlers.current.onFailure?.(answer);
  }, [answer]);

  const formError = answer && !answer.ok ? (answer.fields?.form ?? (answer.fields ? undefined : answer.message)) : undefined;
  /** A field typed in again no longer shows the error it was given. */
  const clear = useCallback((name: string) => {
    setErrors((all) => {
      if (!(name in all)) return all;
      const rest = { ...all };
      delete rest[name];
      return rest;
    });
  }, []);
  return {
    errors,
    formError,
    sending: fetcher.state !== "idle",
    /** Sends the values unless `missing` names a field's message (then shown on it). */
    submit(values: Record<string, unknown>, missing: Record<string, string> = {}) {
      setErrors(missing);
      if (Object.keys(missing).length) return false;
      fetcher.submit({ ...values, intent } as never, { method: "post", encType: "application/json" });
      return true;
    },
    clear,
  };
}

/** A labelled field with its error (or, without one, its note) under it. */
export function Field({
  label,
  required,
  error,
  note,
  children,
}: {
  label: string;
  required?: boolean;
  error?: string;
  note?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="ow-field">
      <span className={required ? "ow-label ow-required" : "ow-label"}>{label}</span>
      {children}
      {error ? (
        <div className="ow-help ow-danger" role="alert">
          {error}
        </div>
      ) : note ? (
        <div className="ow-help">{note}</div>
      ) : null}
    </div>
  );
}

/** A labelled text input with its error. */
export function TextField({
  label,
  required,
  error,
  ...input
}: { label: string; required?: boolean; error?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field label={label} required={required} error={error}>
      <input className="ow-input" aria-label={label} aria-invalid={Boolean(error)} {...input} />
    </Field>
  );
}

/** A form in its card: the title, a line of what to fill in, what the answer said beyond its fields, then `after` the form. */
export function FormCard({
  title,
  intro,
  error,
  onSubmit,
  children,
  after,
}: {
  title: string;
  intro?: string;
  error?: string;
  onSubmit: () => void;
  children: ReactNode;
  after?: ReactNode;
}) {
  return (
    <section className="ow-card">
      <h2>{title}</h2>
      {intro ? <p className="ow-muted">{intro}</p> : null}
      {error ? (
        <div className="ow-alert" role="alert">
          {error}
        </div>
      ) : null}
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <Usable>{children}</Usable>
      </form>
      {after}
    </section>
  );
}

/** Its fields, usable once the page's scripts run it (owner/hydrated.ts); said meanwhile. */
export function Usable({ children }: { children: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <fieldset className="ow-fieldset" disabled={!hydrated} aria-busy={!hydrated || undefined}>
      {hydrated ? null : <p className="ow-muted">页面加载中，请稍候…</p>}
      {children}
    </fieldset>
  );
}
