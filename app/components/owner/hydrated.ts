import { useSyncExternalStore } from "react";

// Whether the page's scripts have taken it over. The owners' page is read on phones on slow
// connections: until then its forms are shown but not usable (a form sent before would reload the
// page, and what was typed would be lost to the scripts that arrive after).

const noChange = () => () => {};

/** false in the server's page and while hydrating, true once the scripts run it. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noChange,
    () => true,
    () => false,
  );
}
