import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import Form from "antd/es/form";
import Input from "antd/es/input";
import { Typography } from "~/components/ui/Typography";
import { StaffProviders, staffLinks } from "~/components/StaffProviders";
import { clientIp, currentSession } from "~/server/auth/session.server";
import { sessionCookie } from "~/server/auth/sessions.server";
import { signIn } from "~/server/auth/sign-in.server";
import { handleAction, readBody, retryAfterHeaders } from "~/server/http/remix.server";
import { sameSitePath } from "~/server/http/same-site-path.server";
import { homePathFor } from "~/shared/permissions";

export const meta: MetaFunction = () => [{ title: "登录 - 昆明市住宅工程质量潜在缺陷保险信息平台" }];

export const links = staffLinks;

// A refusal (429) of a form sent without JavaScript is the page itself: it says when to retry too.
export const headers = retryAfterHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const current = await currentSession(request, context);
  if (current) throw redirect(homePathFor(current.actor.roles));
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  return handleAction(async () => {
    const body = await readBody(request);
    // Where to go is settled before signing in: the session (and its audit) exist only if the answer carries its cookie.
    const back = sameSitePath(body.redirectTo);
    const { actor, sessionId } = await signIn({
      username: String(body.username ?? ""),
      password: String(body.password ?? ""),
      ip: clientIp(context),
    });
    return redirect(back ?? homePathFor(actor.roles), {
      headers: { "Set-Cookie": sessionCookie(sessionId) },
    });
  });
}

export default function Login() {
  const failure = useActionData<typeof action>();
  const submit = useSubmit();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  return (
    <StaffProviders>
      <div
        style={{
          minHeight: "100vh",
          display: "flex",
          alignItems: "center",
          justifyContent: "center",
          background: "linear-gradient(135deg, #0f3d73 0%, #1d5fa8 60%, #4a8fd9 100%)",
        }}
      >
        <Card style={{ width: 400 }}>
          <Typography.Title level={4} style={{ textAlign: "center", marginTop: 0 }}>
            昆明市住宅工程质量潜在缺陷保险信息平台
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ textAlign: "center" }}>
            请使用平台分配的账号登录
          </Typography.Paragraph>
          {failure && !failure.ok ? (
            <Alert type="error" showIcon message={failure.message} style={{ marginBottom: 16 }} role="alert" />
          ) : params.get("expired") ? (
            <Alert type="warning" showIcon message="登录已超时，请重新登录" style={{ marginBottom: 16 }} role="status" />
          ) : null}
          <Form
            layout="vertical"
            requiredMark={false}
            onFinish={(values) =>
              submit({ ...values, redirectTo: params.get("redirectTo") ?? "" }, { method: "post", encType: "application/json" })
            }
          >
            <Form.Item label="用户名" name="username" rules={[{ required: true, message: "请输入用户名" }]}>
              <Input autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item label="密码" name="password" rules={[{ required: true, message: "请输入密码" }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={navigation.state === "submitting"}>
              登录
            </Button>
          </Form>
        </Card>
      </div>
    </StaffProviders>
  );
}
