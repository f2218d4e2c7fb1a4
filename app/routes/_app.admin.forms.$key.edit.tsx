import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import Breadcrumb from "antd/es/breadcrumb";
import { Space } from "~/components/ui/Space";
import { Typography } from "~/components/ui/Typography";
import { FormEditor } from "~/components/FormEditor";
import { requirePermission } from "~/server/auth/session.server";
import { handleAction, handleLoader, readBody } from "~/server/http/remix.server";
import { formEditorSettings, formVersion, publishForm } from "~/server/forms/publish.server";
import { queryOf } from "~/server/query.server";

// The form editor on a form's latest version, or on an earlier one (?from=N) to publish it again as the newest.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  return handleLoader(async () => {
    const latest = await formVersion(actor, params.key!, null);
    const from = queryOf(request).from;
    const shown = from && /^[1-9]\d{0,8}$/.test(from) ? await formVersion(actor, params.key!, Number(from)) : latest;
    return json({
      key: latest.key,
      title: latest.title,
      latestVersion: latest.version,
      fromVersion: shown.version,
      text: JSON.stringify(shown.schema, null, 2),
      ...formEditorSettings(),
    });
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  return handleAction(async () => {
    const { form, created } = await publishForm(actor, { ...(await readBody(request)), key: params.key, isNew: false });
    return redirect(`/admin/forms/${form.key}?${created ? "published" : "unchanged"}=${form.version}`);
  });
}

export default function EditForm() {
  const { key, title, latestVersion, fromVersion, text, serverChecks } = useLoaderData<typeof loader>();
  return (
    <Space direction="vertical" size={8} style={{ width: "100%" }}>
      <Breadcrumb
        items={[
          { title: <Link to="/admin/forms">表单</Link> },
          { title: <Link to={`/admin/forms/${key}`}>{title}</Link> },
          { title: "编辑" },
        ]}
      />
      <Typography.Text type="secondary">{`在第${fromVersion}版上修改（最新为第${latestVersion}版）`}</Typography.Text>
      <FormEditor
        key={`${key}@${fromVersion}`}
        formKey={key}
        initialText={text}

        serverChecks={serverChecks}
        baseVersion={latestVersion}
      />
    </Space>
  );
}
