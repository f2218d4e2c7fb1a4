import { useEffect, useState, type ComponentType, type ReactNode } from "react";

// A component whose scripts load after the page's (decision 042): the server and the browser's
// first drawing show `waiting`; the browser asks for the scripts as the component is first drawn
// and draws it once they are in. For what is drawn at once but weighs more than the rest of its
// page (a task's form, the form editor).

/** `load` asked once; what it gave, once it has. */
function loadedOnce<C>(load: () => Promise<C>) {
  const state: { loaded: C | null; loading: Promise<C> | null } = { loaded: null, loading: null };
  const get = () =>
    (state.loading ??= load().then((component) => {
      state.loaded = component;
      return component;
    }));
  return { get, now: () => state.loaded };
}

export function deferred<P extends object>(load: () => Promise<ComponentType<P>>, waiting: () => ReactNode) {
  const { get, now } = loadedOnce(load);
  function Deferred(props: P) {
    const [Component, setComponent] = useState<ComponentType<P> | null>(now);
    useEffect(() => {
      if (Component) return;
      let gone = false;
      void get().then((c) => !gone && setComponent(() => c));
      return () => {
        gone = true;
      };
    }, [Component]);
    return Component ? <Component {...props} /> : <>{waiting()}</>;
  }
  return Object.assign(Deferred, { load: get });
}

/** What a deferred component shows until it is in: a grey line, centred. */
export function Waiting({ text }: { text: string }) {
  return (
    <div aria-busy="true" data-testid="loading" style={{ padding: "24px 0", textAlign: "center", color: "rgba(0, 0, 0, 0.45)" }}>
      {text}
    </div>
  );
}

/**
 * A component drawn only once it is opened (a dialog, a drawer: `open`), whose scripts load then, or
 * earlier when `load` is called (StaffProviders asks for antd's dialogs once the page is idle).
 * Nothing is drawn before its first opening, as antd draws nothing of a dialog before it either.
 */
export function onDemand<P extends { open?: boolean }>(load: () => Promise<ComponentType<P>>) {
  const { get, now } = loadedOnce(load);
  function OnDemand(props: P) {
    const [Component, setComponent] = useState<ComponentType<P> | null>(now);
    const wanted = Boolean(props.open) && !Component;
    useEffect(() => {
      if (!wanted) return;
      let gone = false;
      void get().then((c) => !gone && setComponent(() => c));
      return () => {
        gone = true;
      };
    }, [wanted]);
    return Component ? <Component {...props} /> : null;
  }
  return Object.assign(OnDemand, { load: get });
}
