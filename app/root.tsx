import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { MetaFunction } from "@remix-run/node";
import { useContext, type ReactNode } from "react";
import { NonceContext } from "~/components/nonce";
import { PlainErrorPage } from "~/components/PlainErrorPage";

// The document every page shares, and nothing more: whatever the root imports lands on every page,
// the owners' page read on phones included (decision 042). antd, its stylesheet and its
// configuration come with the routes that draw it (components/StaffProviders).

export const meta: MetaFunction = () => [{ title: "昆明市住宅工程质量潜在缺陷保险信息平台" }];

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useContext(NonceContext);
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="data:," />
        <Meta />
        <Links />
        {/* Where the server puts the few antd styles its stylesheet lacks, on the pages that link it (entry.server). */}
        {typeof document === "undefined" ? "__ANTD_STYLES__" : null}
      </head>
      <body style={{ margin: 0 }}>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

// A page outside the signed-in frame that fails (the owners' page, the login, a print page).
export function ErrorBoundary() {
  const error = useRouteError();
  return <PlainErrorPage status={isRouteErrorResponse(error) ? error.status : 500} />;
}
