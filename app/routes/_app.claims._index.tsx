import { type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card } from "~/components/ui/Card";
import { Space } from "~/components/ui/Space";
import { ClaimList } from "~/components/ClaimList";
import { ExportButton } from "~/components/ExportButton";
import { requirePermission } from "~/server/auth/session.server";
import { PAGE_PERMISSIONS } from "~/shared/permissions";
import { claimList, emptyClaimList } from "~/server/claims/claim-views.server";
import { listPageLoader } from "~/server/http/remix.server";
import { queryOf } from "~/server/query.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, PAGE_PERMISSIONS["/claims"]);
  return listPageLoader(
    () => claimList(actor, queryOf(request)),
    () => emptyClaimList(actor),
  );
}

export default function Claims() {
  const data = useLoaderData<typeof loader>();
  return (
    <Card
      title="理赔案件"
      extra={
        <Space>
          <ExportButton list="claims" />
          {data.ratingsVisible ? <Link to="/claims/ratings">服务评价</Link> : null}
        </Space>
      }
    >
      <ClaimList data={data} />
    </Card>
  );
}
