import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { FollowClaim } from "~/components/owner/FollowClaim";
import { useHomeFinder } from "~/components/owner/finder";
import { HomeFinder } from "~/components/owner/HomeFinder";
import { MessageIcon } from "~/components/owner/icons";
import { OwnerCoverage } from "~/components/owner/OwnerCoverage";
import { OwnerChat } from "~/components/OwnerChat";
import ownerCss from "~/styles/owner.css";
import { clientIp } from "~/server/auth/session.server";
import { followClaim, rateFollowedClaim, sendRatingCode } from "~/server/claims/owner-page.server";
import { env } from "~/server/env.server";
import { ValidationError } from "~/server/errors.server";
import { handleAction, readBody, retryAfterHeaders } from "~/server/http/remix.server";

// 业主服务 (/owner): the owners' public page, no account and outside the staff shell. Find one's
// home and its cover, follow a claim by its number and phone, rate it; the hotline number on top.
// Read on phones, often on a slow connection: plain HTML and its own small stylesheet, no antd
// (decision 042: under 120 KB gzipped in all).

export const links: LinksFunction = () => [{ rel: "stylesheet", href: ownerCss }];

export const meta: MetaFunction = () => [{ title: "业主服务 - 昆明市住宅工程质量潜在缺陷保险" }];

// A refusal (429) of a form sent without JavaScript is the page itself: it says when to retry too.
export const headers = retryAfterHeaders;

export async function loader(_args: LoaderFunctionArgs) {
  // No communities: a city has thousands, which the page finds as the owner types (owner/HomeFinder).
  return json({ hotline: env().HOTLINE_PHONE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  return handleAction(async () => {
    const body = await readBody(request);
    const ip = clientIp(context);
    if (body.intent === "follow") return json({ ok: true as const, claim: await followClaim(body, ip) });
    if (body.intent === "rating-code") return json({ ok: true as const, ...(await sendRatingCode(body, ip)) });
    if (body.intent === "rate") return json({ ok: true as const, claim: await rateFollowedClaim(body, ip) });
    throw new ValidationError({ form: "不支持的操作" });
  });
}

function FindMyHome() {
  const coverage = useHomeFinder();
  const [unitId, setUnitId] = useState<string | null>(null);
  const pick = (id: string | null) => {
    setUnitId(id);
    if (id) coverage.load({ unitId: id });
  };
  const shown = unitId && coverage.data?.kind === "coverage" ? coverage.data.coverage : null;
  return (
    <section className="ow-card">
      <h2>查询我家的保险</h2>
      <p className="ow-muted">选择小区、楼栋和房号，查看承保公司、保险责任和报案方式。</p>
      <HomeFinder onPick={pick} />
      {unitId ? (
        <div style={{ marginTop: 16 }}>
          {shown ? <OwnerCoverage coverage={shown} today={shown.today} /> : coverage.busy ? <p className="ow-muted">加载中…</p> : null}
        </div>
      ) : null}
    </section>
  );
}

export default function OwnerPage() {
  const { hotline } = useLoaderData<typeof loader>();
  return (
    <div className="ow">
      <header className="ow-top">
        <div className="ow-wrap">
          <h1>住宅工程质量潜在缺陷保险 · 业主服务</h1>
          <div style={{ marginTop: 8 }}>
            服务热线{" "}
            <a href={`tel:${hotline}`} className="ow-hotline" data-testid="hotline">
              {hotline}
            </a>
          </div>
          {/* The chat is the page's third section: on a phone, about a thousand pixels down. */}
          <a href="#owner-chat" className="ow-button">
            <MessageIcon />
            在线报修与咨询
          </a>
        </div>
      </header>
      <main className="ow-main">
        <div className="ow-note">房屋出现渗漏、开裂等质量问题，可拨打承保公司报案电话或平台服务热线报案，也可在下方在线报修。</div>
        <FindMyHome />
        <FollowClaim />
        <section className="ow-card" data-testid="owner-chat" id="owner-chat">
          <h2>在线报修与咨询</h2>
          <p className="ow-muted">验证手机号后，可在线报修、查询保险责任和理赔进度、对已结案的理赔进行评价。</p>
          <OwnerChat height={420} />
        </section>
      </main>
    </div>
  );
}
