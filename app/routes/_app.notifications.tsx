import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import { List } from "~/components/ui/List";
import Segmented from "antd/es/segmented";
import { Space } from "~/components/ui/Space";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import { useListParams } from "~/components/useListParams";
import { requireActor } from "~/server/auth/session.server";
import { ValidationError } from "~/server/errors.server";
import { handleAction, readBody } from "~/server/http/remix.server";
import { listNotifications, markNotificationsRead, openNotification, unreadNotificationCount } from "~/server/notifications/in-app.server";
import { formatDateTime } from "~/shared/time";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const [page, unread] = await Promise.all([listNotifications(actor.userId!, query), unreadNotificationCount(actor.userId!)]);
  return json({ page, unread });
}

/** 查看 marks the notification read and follows its link; 全部标为已读 marks them all. */
export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  return handleAction(async () => {
    const body = await readBody(request);
    if (body.open !== undefined) {
      if (typeof body.open !== "string") throw new ValidationError({ open: "通知标识格式不正确" });
      return redirect(await openNotification(actor.userId!, body.open));
    }
    await markNotificationsRead(actor.userId!);
    return json({ ok: true });
  });
}

export default function Notifications() {
  const { page, unread } = useLoaderData<typeof loader>();
  const list = useListParams();
  return (
    <Card
      title="消息通知"
      extra={
        <Space>
          <Segmented
            aria-label="显示哪些消息"
            value={page.view}
            options={[
              { value: "all", label: "全部" },
              { value: "unread", label: `未读（${unread}）` },
            ]}
            onChange={(view) => list.search({ view })}
          />
          <Form method="post">
            <Button htmlType="submit" disabled={unread === 0}>
              全部标为已读
            </Button>
          </Form>
        </Space>
      }
    >
      <List
        locale={{ emptyText: page.view === "unread" ? "没有未读通知" : "暂无通知" }}
        dataSource={page.rows}
        pagination={page.total > page.pageSize ? list.pagination(page, "条") : false}
        renderItem={(n) => (
          <List.Item data-testid="notification" data-unread={n.readAt ? undefined : "true"}>
            <List.Item.Meta
              title={
                <Space wrap>
                  {n.readAt ? <Tag>已读</Tag> : <Tag color="blue">未读</Tag>}
                  <Form method="post" style={{ display: "inline" }}>
                    <input type="hidden" name="open" value={n.id} />
                    <Button
                      type="link"
                      htmlType="submit"
                      style={{ padding: 0, height: "auto", whiteSpace: "normal", textAlign: "left", fontWeight: n.readAt ? 400 : 600 }}
                    >
                      {n.title}
                    </Button>
                  </Form>
                </Space>
              }
              description={
                <>
                  {n.body ? <div>{n.body}</div> : null}
                  <Typography.Text type="secondary">{formatDateTime(n.createdAt)}</Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
