import { Link } from "@remix-run/react";
import Button from "antd/es/button";
import { formatDateTime } from "~/shared/time";

// What the form pages share: a primary action that is a link, and who published a version, when and why.

/** What an administrator must know before publishing: process versions pin their form versions. */
export const PINNED_NOTE = "发布后，新发布的流程版本才会使用；已发布的流程版本和正在办理的事项仍使用原来的表单版本。";

export function PrimaryLink({ to, children }: { to: string; children: string }) {
  return (
    <Link to={to}>
      <Button type="primary">{children}</Button>
    </Link>
  );
}

/** The columns of who published a form version, when and why (none for the platform's own). */
export const PUBLISHED_COLUMNS = [
  { title: "发布人", dataIndex: "deployedByName" },
  { title: "发布时间", dataIndex: "deployedAt", render: (d: string) => formatDateTime(d) },
  { title: "发布原因", dataIndex: "reason", render: (r: string | null) => r ?? "—" },
];
