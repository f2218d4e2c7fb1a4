import { createContext } from "react";

/**
 * The nonce of the page's Content-Security-Policy, for the scripts Remix writes into the page.
 * Only the server knows it: a browser hides a script's nonce once it has checked it, so the page
 * hydrates with "" (what the DOM shows then), and nothing injected later can read it.
 */
export const NonceContext = createContext("");
