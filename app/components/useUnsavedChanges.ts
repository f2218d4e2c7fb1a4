import { useBlocker } from "@remix-run/react";
import { useEffect } from "react";

/** What a page with unsaved changes asks before it is left. */
export const LEAVE_UNSAVED = "有未保存的修改，确定离开？";

/**
 * Asks before leaving a page whose changes are not saved (the modeler, the form editor): a link
 * or the back button within the app (Remix's blocker, another path only: a submission to the page
 * itself is its save), and closing or reloading the tab (the browser's own beforeunload question).
 */
export function useUnsavedChanges(dirty: boolean): void {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm(LEAVE_UNSAVED)) blocker.proceed();
    else blocker.reset();
  }, [blocker]);
  useEffect(() => {
    if (!dirty) return;
    const ask = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", ask);
    return () => window.removeEventListener("beforeunload", ask);
  }, [dirty]);
}
