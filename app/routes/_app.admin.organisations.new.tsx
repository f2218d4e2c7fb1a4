import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Card } from "~/components/ui/Card";
import { OrganisationFields } from "~/components/OrganisationFields";
import { ServerForm } from "~/components/ServerForm";
import { createOrganisation } from "~/server/admin/organisations.server";
import { requirePermission } from "~/server/auth/session.server";
import { handleAction, readBody } from "~/server/http/remix.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "manage:organisations");
  return json({});
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:organisations");
  return handleAction(async () => {
    const created = await createOrganisation(actor, await readBody(request));
    return redirect(`/admin/organisations/${created.id}`);
  });
}

export default function NewOrganisation() {
  return (
    <Card title="新增单位">
      <ServerForm intent="create" submitLabel="保存">
        <OrganisationFields />
      </ServerForm>
    </Card>
  );
}
