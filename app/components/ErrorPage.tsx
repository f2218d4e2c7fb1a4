import { Link } from "@remix-run/react";
import Button from "antd/es/button";
import Result from "antd/es/result";
import { Children, cloneElement, isValidElement, type ReactElement, type ReactNode } from "react";
import { AppShell, type ShellNavItem, type ShellUser } from "./AppShell";
import { errorText } from "./error-text";

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

const IMAGES = { "403": Result.PRESENTED_IMAGE_403, "404": Result.PRESENTED_IMAGE_404, "500": Result.PRESENTED_IMAGE_500 };

/**
 * antd's picture for the status, with a Chinese <title> instead of its English one ("Unauthorized",
 * "No Found", "Server Error"): the title is the picture's tooltip and what a screen reader says.
 */
function Picture({ status, title }: { status: keyof typeof IMAGES; title: string }) {
  const svg = (IMAGES[status] as () => ReactElement<{ children?: ReactNode }>)();
  const drawing = Children.toArray(svg.props.children).filter((child) => !(isValidElement(child) && child.type === "title"));
  return (
    <div className="ant-result-image">
      {cloneElement(svg, { role: "img", "aria-label": title } as object, <title>{title}</title>, ...drawing)}
    </div>
  );
}

function ErrorResult({ status, home, why }: { status: number; home: string; why?: string }) {
  const text = errorText(status);
  const image = status === 403 || status === 404 ? (String(status) as "403" | "404") : status === 405 || status === 422 ? null : "500";
  return (
    <Result
      // Not antd's 403/404/500 status: those draw the picture with its English title.
      status={image ? "info" : "warning"}
      icon={image ? <Picture status={image} title={text.title} /> : undefined}
      title={text.title}
      subTitle={why ?? text.subTitle}
      extra={
        <Link to={home}>
          <Button type="primary">返回首页</Button>
        </Link>
      }
    />
  );
}
