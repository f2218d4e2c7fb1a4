import { fileURLToPath } from "node:url";
import { StyleProvider } from "@ant-design/cssinjs";
import type { EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { NonceContext } from "~/components/nonce";
import { newNonce, pagePolicy } from "~/server/http/content-security.server";
import { noteFailure } from "~/server/http/request-log.server";
import { assetsDirOf } from "~/server/http/server.server";
import antdSheet from "~/styles/antd.generated.css";
import { pageStyleCache, stylesBeyondSheet } from "~/styles/page-styles.server";

/**
 * An error a loader, action or render threw (not a Response): noted on its request, and logged
 * once with its method, path and status by the Remix handler (server/http/request-log).
 */
export function handleError(error: unknown, { request }: { request: Request }): void {
  if (!request.signal.aborted) noteFailure(error);
}

export const ANTD_STYLES_PLACEHOLDER = "__ANTD_STYLES__";
const assetsDir = assetsDirOf(fileURLToPath(import.meta.url));

// Rendered to a string (not streamed) so the few antd styles the linked sheet lacks can be put in
// the head: the page arrives styled, with no flash. Each page gets its own script nonce and the
// Content-Security-Policy that names it.
export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  const nonce = newNonce();
  const markup = renderToString(
    <NonceContext.Provider value={nonce}>
      <StyleProvider cache={pageStyleCache}>
        <RemixServer context={remixContext} url={request.url} />
      </StyleProvider>
    </NonceContext.Provider>,
  );
  // Only a page that links antd's stylesheet drew antd (the owners' page draws none): the styles
  // the sheet lacks (of every page this process rendered) are for those pages alone.
  const page = markup.replace(ANTD_STYLES_PLACEHOLDER, markup.includes(antdSheet) ? stylesBeyondSheet(antdSheet, assetsDir) : "");
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  responseHeaders.set("Content-Security-Policy", pagePolicy(nonce));
  return new Response(`<!DOCTYPE html>${page}`, { status: responseStatusCode, headers: responseHeaders });
}
