import { createCache, extractStyle, StyleProvider } from "@ant-design/cssinjs";
import type { EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";

export const ANTD_STYLES_PLACEHOLDER = "__ANTD_STYLES__";

// Rendered to a string (not streamed) so antd's CSS-in-JS styles can be extracted and put in
// the head: the page arrives styled, with no flash.
export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  const cache = createCache();
  const markup = renderToString(
    <StyleProvider cache={cache}>
      <RemixServer context={remixContext} url={request.url} />
    </StyleProvider>,
  ).replace(ANTD_STYLES_PLACEHOLDER, extractStyle(cache));
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return new Response(`<!DOCTYPE html>${markup}`, { status: responseStatusCode, headers: responseHeaders });
}
