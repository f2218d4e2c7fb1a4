import { Link } from "@remix-run/react";
import Button from "antd/es/button";
import WarningFilled from "@ant-design/icons/es/icons/WarningFilled";
import { deferred } from "./deferred";
import type { PictureStatus } from "./ErrorPicture";
import { AppShell, type ShellNavItem, type ShellUser } from "./AppShell";
import { errorText } from "./error-text";
import { useAntdClass } from "./ui/antd-class";

/** The signed-in frame's data (app/server/http/shell.server.ts), as a page receives it. */
export interface ShellProps {
  user: ShellUser;
  nav: ShellNavItem[];
  badges: Record<string, number>;
  unread: number;
  home: string;
}

/**
 * The Chinese page for an error status: 403, 404, or anything else as a server error; inside the
 * signed-in frame (navigation still there) when the user's shell is known.
 */
export function ErrorPage({ status, shell, reason }: { status: number; shell?: ShellProps | null; reason?: unknown }) {
  // A refused request (422, e.g. a search too long in the address) says what the server refused; a
  // refused page (403), whom it is for.
  const why = (status === 422 || status === 403) && typeof reason === "string" && reason ? reason : undefined;
  const page = <ErrorResult status={status} home={shell?.home ?? "/"} why={why} />;
  return shell ? (
    <AppShell user={shell.user} nav={shell.nav} badges={shell.badges} unread={shell.unread}>
      {page}
    </AppShell>
  ) : (
    page
  );
}

/** The status's picture, loaded once the page is in the browser; its place kept meanwhile. */
const Picture = deferred<{ status: PictureStatus; title: string }>(
  () => import("./ErrorPicture").then((m) => m.ErrorPicture),
  () => <div style={{ height: 295 }} />,
);

/** antd's result (a picture or a sign, the title, what to do), as its stylesheet draws it, without its scripts. */
function ErrorResult({ status, home, why }: { status: number; home: string; why?: string }) {
  const text = errorText(status);
  const image = status === 403 || status === 404 ? (String(status) as "403" | "404") : status === 405 || status === 422 ? null : "500";
  return (
    <div className={useAntdClass("ant-result", `ant-result-${image ? "info" : "warning"}`)}>
      <div className="ant-result-icon">
        {image ? (
          <div className="ant-result-image">
            <Picture status={image} title={text.title} />
          </div>
        ) : (
          <WarningFilled aria-hidden />
        )}
      </div>
      <div className="ant-result-title">{text.title}</div>
      <div className="ant-result-subtitle">{why ?? text.subTitle}</div>
      <div className="ant-result-extra">
        <Link to={home}>
          <Button type="primary">返回首页</Button>
        </Link>
      </div>
    </div>
  );
}
