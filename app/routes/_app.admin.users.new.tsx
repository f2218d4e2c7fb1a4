import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card } from "~/components/ui/Card";
import { ServerForm } from "~/components/ServerForm";
import { UserFields } from "~/components/UserFields";
import { organisationOptions } from "~/server/admin/organisations.server";
import { createUser } from "~/server/admin/users.server";
import { requirePermission } from "~/server/auth/session.server";
import { handleAction, readBody } from "~/server/http/remix.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:users");
  const organisationId = new URL(request.url).searchParams.get("organisationId") ?? undefined;
  return json({ organisations: await organisationOptions(actor), organisationId });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:users");
  return handleAction(async () => {
    const created = await createUser(actor, await readBody(request));
    return redirect(`/admin/users/${created.id}`);
  });
}

export default function NewUser() {
  const { organisations, organisationId } = useLoaderData<typeof loader>();
  return (
    <Card title="新增用户">
      <ServerForm intent="create" submitLabel="保存" initialValues={{ organisationId }}>
        <UserFields organisations={organisations} creating />
      </ServerForm>
    </Card>
  );
}
