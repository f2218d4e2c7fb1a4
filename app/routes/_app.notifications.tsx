import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, Button, Card, List, Typography } from "antd";
import { requireActor } from "~/server/auth/session.server";
import { handleAction, readBody } from "~/server/http/remix.server";
import { listNotifications, markNotificationsRead } from "~/server/notifications/in-app.server";
import { formatDateTime } from "~/shared/time";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  return json({ notifications: await listNotifications(actor.userId!) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireActor(request, context);
  return handleAction(async () => {
    const body = await readBody(request);
    await markNotificationsRead(actor.userId!, typeof body.id === "string" && /^[0-9a-f-]{36}$/.test(body.id) ? body.id : undefined);
    return json({ ok: true });
  });
}

export default function Notifications() {
  const { notifications } = useLoaderData<typeof loader>();
  const mark = useFetcher();
  return (
    <Card
      title="消息通知"
      extra={
        <Button
          onClick={() => mark.submit({}, { method: "post", encType: "application/json" })}
          disabled={!notifications.some((n) => !n.readAt)}
        >
          全部标为已读
        </Button>
      }
    >
      <List
        locale={{ emptyText: "暂无通知" }}
        dataSource={notifications}
        renderItem={(n) => (
          <List.Item
            actions={[
              n.link ? (
                <Link key="go" to={n.link} onClick={() => mark.submit({ id: n.id }, { method: "post", encType: "application/json" })}>
                  查看
                </Link>
              ) : null,
            ]}
          >
            <List.Item.Meta
              title={<Badge dot={!n.readAt}>{n.title}</Badge>}
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
