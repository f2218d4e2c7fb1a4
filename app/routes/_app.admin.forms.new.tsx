import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import Breadcrumb from "antd/es/breadcrumb";
import { Space } from "~/components/ui/Space";
import { FormEditor } from "~/components/FormEditor";
import { requirePermission } from "~/server/auth/session.server";
import { handleAction, readBody } from "~/server/http/remix.server";
import { formEditorSettings, publishForm } from "~/server/forms/publish.server";

// A new form starts from a small example the administrator replaces.
const STARTER = {
  type: "object",
  title: "新表单",
  properties: {
    note: { type: "string", title: "办理意见", required: true, maxLength: 500, "x-decorator": "FormItem", "x-component": "Input.TextArea" },
  },
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "manage:processes");
  return json({ text: JSON.stringify(STARTER, null, 2), ...formEditorSettings() });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  return handleAction(async () => {
    const { form } = await publishForm(actor, { ...(await readBody(request)), isNew: true, baseVersion: null });
    return redirect(`/admin/forms/${form.key}?published=${form.version}`);
  });
}

export default function NewForm() {
  const { text, serverChecks } = useLoaderData<typeof loader>();
  return (
    <Space direction="vertical" size={8} style={{ width: "100%" }}>
      <Breadcrumb items={[{ title: <Link to="/admin/forms">表单</Link> }, { title: "新建表单" }]} />
      <FormEditor formKey={null} initialText={text} serverChecks={serverChecks} baseVersion={null} />
    </Space>
  );
}
