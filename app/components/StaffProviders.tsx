import type { LinksFunction } from "@remix-run/node";
import AntApp from "antd/es/app";
import ConfigProvider from "antd/es/config-provider";
import zhCNModule from "antd/locale/zh_CN.js";
import type { Locale } from "antd/es/locale/index.js";
import type { ReactNode } from "react";
import { theme } from "~/components/theme";
import antdSheet from "~/styles/antd.generated.css";
// dayjs in Chinese, with the platform's time zone: antd's date pickers read it.
import "~/shared/time";

// What the staff's pages draw with: antd under the platform's theme, in Chinese, styled by the one
// stylesheet built with the app (decision 031). Only the routes that draw antd bring it (the
// signed-in frame, the login, the 404 and the print page): the root is plain, so the owners' page
// loads none of it (decision 042).

/** antd's stylesheet, for the `links` of a route that draws antd. */
export const staffLinks: LinksFunction = () => [{ rel: "stylesheet", href: antdSheet }];

// antd ships its locales as CommonJS; imported from an ES module (Node and the browser bundle alike)
// the default export is the whole `exports` object, so the locale sits one level down.
const zhCN: Locale = (zhCNModule as unknown as { default?: Locale }).default ?? zhCNModule;

/** antd's configuration (theme, Chinese) and its App (messages, dialogs) around a staff page. */
export function StaffProviders({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
