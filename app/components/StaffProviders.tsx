import type { LinksFunction } from "@remix-run/node";
import ConfigProvider from "antd/es/config-provider";
import zhCNModule from "antd/locale/zh_CN.js";
import type { Locale } from "antd/es/locale/index.js";
import { useEffect, type ReactNode } from "react";
import { theme } from "~/components/theme";
import antdSheet from "~/styles/antd.generated.css";
import { loadMessage, loadModal } from "./feedback";
import { AntdHashClass } from "./ui/antd-class";
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

const configured = (children: ReactNode) => (
  <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
    {children}
  </ConfigProvider>
);

// Messages and dialogs (components/feedback) are antd's static ones: drawn under the same theme.
if (typeof document !== "undefined") ConfigProvider.config({ holderRender: configured });

/** antd's configuration (theme, Chinese) around a staff page; its messages and dialogs loaded once the page is idle. */
export function StaffProviders({ children }: { children: ReactNode }) {
  useEffect(() => {
    const later = window.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 200));
    later(() => void Promise.all([loadMessage(), loadModal()]));
  }, []);
  return configured(<AntdHashClass>{children}</AntdHashClass>);
}
