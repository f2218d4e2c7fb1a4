import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { LinksFunction, MetaFunction } from "@remix-run/node";
import AntApp from "antd/es/app";
import ConfigProvider from "antd/es/config-provider";
import zhCNModule from "antd/locale/zh_CN.js";
import type { Locale } from "antd/es/locale/index.js";
import { useContext, type ReactNode } from "react";
import { ErrorPage } from "~/components/ErrorPage";
import { NonceContext } from "~/components/nonce";
import { theme } from "~/components/theme";
import antdSheet from "~/styles/antd.generated.css";
import "~/shared/time";

export const meta: MetaFunction = () => [{ title: "昆明市住宅工程质量潜在缺陷保险信息平台" }];

// antd's styles as one cached stylesheet (app/styles/), not written into every page.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: antdSheet }];

// antd ships its locales as CommonJS; imported from an ES module (Node and the browser bundle alike)
// the default export is the whole `exports` object, so the locale sits one level down.
const zhCN: Locale = (zhCNModule as unknown as { default?: Locale }).default ?? zhCNModule;

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
        {typeof document === "undefined" ? "__ANTD_STYLES__" : null}
      </head>
      <body style={{ margin: 0 }}>
        <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
          <AntApp>{children}</AntApp>
        </ConfigProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  return <ErrorPage status={isRouteErrorResponse(error) ? error.status : 500} />;
}
