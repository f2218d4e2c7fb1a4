import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Button, Card, List, Space, Tag, Typography } from "antd";
import { requireActor } from "~/server/auth/session.server";
import { ValidationError } from "~/server/errors.server";
import { handleAction, readBody } from "~/server/http/remix.server";
import { listNotifications, markNotificationsRead, openNotification } from "~/server/notifications/in-app.server";
import { formatDateTime } from "~/shared/time";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return json({ notifications: await listNotifications(actor.userId!) });
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
  const { notifications } = useLoaderData<typeof loader>();
  return (
    <Card
      title="消息通知"
      extra={
        <Form method="post">
          <Button htmlType="submit" disabled={!notifications.some((n) => !n.readAt)}>
            全部标为已读
          </Button>
        </Form>
      }
    >
      <List
        locale={{ emptyText: "暂无通知" }}
        dataSource={notifications}
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
