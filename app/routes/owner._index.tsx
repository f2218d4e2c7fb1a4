import MessageOutlined from "@ant-design/icons/es/icons/MessageOutlined";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import Alert from "antd/es/alert";
import Button from "antd/es/button";
import Card from "antd/es/card";
import Empty from "antd/es/empty";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Rate from "antd/es/rate";
import Space from "antd/es/space";
import Spin from "antd/es/spin";
import Tag from "antd/es/tag";
import Timeline from "antd/es/timeline";
import Typography from "antd/es/typography";
import { useCallback, useEffect, useState } from "react";
import { CoverageView } from "~/components/CoverageView";
import { HomePicker } from "~/components/HomePicker";
import { OwnerChat } from "~/components/OwnerChat";
import { RatingFields } from "~/components/RatingFields";
import { ServerForm } from "~/components/ServerForm";
import { clientIp } from "~/server/auth/session.server";
import type { HomeFinderAnswer } from "~/server/claims/owner-page.server";
import { followClaim, homeCommunities, rateFollowedClaim, sendRatingCode } from "~/server/claims/owner-page.server";
import { env } from "~/server/env.server";
import { ValidationError } from "~/server/errors.server";
import { handleAction, readBody, retryAfterHeaders } from "~/server/http/remix.server";
import { RATING_REASON_LABELS } from "~/shared/claim-labels";
import { RATING_CODE_BUTTON } from "~/shared/claim-limits";

// 业主服务 (/owner): the owners' public page, no account and outside the staff shell. Find one's
// home and its cover, follow a claim by its number and phone, rate it; the hotline number on top.

export const meta: MetaFunction = () => [{ title: "业主服务 - 昆明市住宅工程质量潜在缺陷保险" }];

// A refusal (429) of a form sent without JavaScript is the page itself: it says when to retry too.
export const headers = retryAfterHeaders;

export async function loader(_args: LoaderFunctionArgs) {
  return json({ hotline: env().HOTLINE_PHONE, communities: await homeCommunities() });
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

type Followed = Awaited<ReturnType<typeof followClaim>>;

function FindMyHome({ communities }: { communities: ReturnType<typeof useLoaderData<typeof loader>>["communities"] }) {
  const coverage = useFetcher<HomeFinderAnswer>();
  const [unitId, setUnitId] = useState<string | null>(null);
  const pick = (id: string | null) => {
    setUnitId(id);
    if (id) coverage.load(`/owner/homes?${new URLSearchParams({ unitId: id })}`);
  };
  const shown = unitId && coverage.data?.kind === "coverage" ? coverage.data.coverage : null;
  return (
    <Card title="查询我家的保险">
      <Typography.Paragraph type="secondary">选择小区、楼栋和房号，查看承保公司、保险责任和报案方式。</Typography.Paragraph>
      {communities.length ? <HomePicker communities={communities} onPick={pick} /> : <Empty description="暂无可查询的小区" />}
      {unitId ? (
        <div style={{ marginTop: 16 }}>
          {coverage.state !== "idle" && !shown ? <Spin /> : shown ? <CoverageView coverage={shown} today={shown.today} /> : null}
        </div>
      ) : null}
    </Card>
  );
}

function FollowedClaim({ claim, lookup, onRated }: { claim: Followed; lookup: Record<string, string>; onRated: (c: Followed) => void }) {
  // What the last rating refused of its code (wrong, locked, spent), until a new code is asked for.
  const [codeProblem, setCodeProblem] = useState<string | null>(null);
  const onFailure = useCallback((result: { fields?: Record<string, string> }) => {
    if (result.fields?.code) setCodeProblem(result.fields.code);
  }, []);
  const onNewCode = useCallback(() => setCodeProblem(null), []);
  return (
    <Space direction="vertical" style={{ width: "100%" }} data-testid="followed-claim">
      <Space wrap>
        <Typography.Text strong>{claim.number}</Typography.Text>
        <Tag color={claim.status === "closed" ? "green" : "blue"}>{claim.statusLabel}</Tag>
      </Space>
      <Typography.Text>
        {claim.unitLabel} · {claim.partLabel}
      </Typography.Text>
      <Timeline
        items={claim.steps.map((s) => ({
          children: (
            <>
              <div>{s.label}</div>
              <Typography.Text type="secondary">
                {s.at}
                {"detail" in s && s.detail ? `：${s.detail}` : ""}
              </Typography.Text>
            </>
          ),
        }))}
      />
      {claim.rating ? <GivenRating rating={claim.rating} /> : null}
      {claim.canRate ? (
        <Card size="small" title="服务评价">
          <ServerForm
            intent="rate"
            fixed={lookup}
            submitLabel="提交评价"
            successMessage="感谢您的评价"
            onSuccess={(result) => onRated(result.claim as Followed)}
            onFailure={onFailure}
          >
            <RatingFields />
            <RatingCode lookup={lookup} problem={codeProblem} onNewCode={onNewCode} />
          </ServerForm>
        </Card>
      ) : null}
    </Space>
  );
}

/** The rating the owner gave, read back: the stars as given, not a picker to fill in again. */
function GivenRating({ rating }: { rating: NonNullable<Followed["rating"]> }) {
  return (
    <Card size="small" title="服务评价" data-testid="given-rating">
      <Space direction="vertical" size={4}>
        <Space>
          <Typography.Text>您的评价</Typography.Text>
          <Rate disabled value={rating.stars} aria-label={`${rating.stars}星`} />
        </Space>
        {rating.reasons.length ? (
          <Typography.Text type="secondary">
            不满意的方面：{rating.reasons.map((r) => RATING_REASON_LABELS[r as keyof typeof RATING_REASON_LABELS] ?? r).join("、")}
          </Typography.Text>
        ) : null}
        {rating.comment ? <Typography.Text type="secondary">{rating.comment}</Typography.Text> : null}
        <Typography.Text type="success">感谢您的评价</Typography.Text>
      </Space>
    </Card>
  );
}

type CodeAnswer = { ok: true; sentTo: string; validUntil: string } | { ok: false; message: string; fields?: Record<string, string> };

/**
 * 短信验证码: a rating is the owner's only once the phone's holder reads back the code texted to it.
 * The note under the field says where the code stands: asked for (and until when it is good), or
 * what the last rating was told of it (wrong, locked, spent) until a new code is asked for.
 */
function RatingCode({ lookup, problem, onNewCode }: { lookup: Record<string, string>; problem: string | null; onNewCode: () => void }) {
  const form = Form.useFormInstance();
  const fetcher = useFetcher<CodeAnswer>();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (!answer) return;
    // A new code's answer replaces what the last rating said of the old code.
    form.setFields([{ name: "code", errors: [] }]);
    onNewCode();
  }, [answer, form, onNewCode]);
  const note = problem
    ? problem
    : answer
      ? answer.ok
        ? `验证码已发送至 ${answer.sentTo}，${answer.validUntil} 前有效`
        : (answer.fields?.code ?? answer.message)
      : "评价需验证报案手机号";
  const danger = Boolean(problem) || (answer && !answer.ok);
  return (
    <Form.Item noStyle shouldUpdate>
      {() => (
        <Form.Item
          label="短信验证码"
          required
          extra={
            // While the field shows the rating's error, that is the note.
            form.getFieldError("code").length ? null : (
              <Typography.Text type={danger ? "danger" : "secondary"} data-testid="code-note">
                {note}
              </Typography.Text>
            )
          }
        >
          <Space.Compact style={{ maxWidth: 320 }}>
            <Form.Item name="code" noStyle>
              <Input inputMode="numeric" autoComplete="one-time-code" aria-label="短信验证码" />
            </Form.Item>
            <Button
              loading={fetcher.state !== "idle"}
              onClick={() =>
                fetcher.submit(
                  { ...lookup, intent: "rating-code" },
                  { method: "post", action: "/owner?index", encType: "application/json" },
                )
              }
            >
              {RATING_CODE_BUTTON}
            </Button>
          </Space.Compact>
        </Form.Item>
      )}
    </Form.Item>
  );
}

function FollowMyClaim() {
  const [form] = Form.useForm();
  const [followed, setFollowed] = useState<{ claim: Followed; lookup: Record<string, string> } | null>(null);
  const onFollowed = useCallback(
    (result: Record<string, unknown>) => setFollowed({ claim: result.claim as Followed, lookup: form.getFieldsValue(["number", "phone"]) }),
    [form],
  );
  const onRated = useCallback((claim: Followed) => setFollowed((f) => (f ? { ...f, claim } : f)), []);
  return (
    <Card title="查询理赔进度">
      <Typography.Paragraph type="secondary">输入案件号和报案时留的手机号（或房屋登记的业主手机号）。</Typography.Paragraph>
      <ServerForm intent="follow" form={form} submitLabel="查询" onSubmit={() => setFollowed(null)} onSuccess={onFollowed}>
        <Form.Item label="案件号" name="number" rules={[{ required: true, message: "请输入案件号" }]}>
          <Input placeholder="如 LP000123" autoComplete="off" />
        </Form.Item>
        <Form.Item label="手机号" name="phone" rules={[{ required: true, message: "请输入报案时留的手机号" }]}>
          <Input inputMode="tel" autoComplete="tel" />
        </Form.Item>
      </ServerForm>
      {followed ? <FollowedClaim claim={followed.claim} lookup={followed.lookup} onRated={onRated} /> : null}
    </Card>
  );
}

export default function OwnerPage() {
  const { hotline, communities } = useLoaderData<typeof loader>();
  return (
    <div style={{ minHeight: "100vh", background: "#f3f6fa" }}>
      <header style={{ background: "#1d5fa8", color: "#fff", padding: "16px 16px 20px" }}>
        <div style={{ maxWidth: 720, margin: "0 auto" }}>
          <Typography.Title level={4} style={{ color: "#fff", margin: 0 }}>
            住宅工程质量潜在缺陷保险 · 业主服务
          </Typography.Title>
          <div style={{ marginTop: 8 }}>
            服务热线{" "}
            <a href={`tel:${hotline}`} style={{ color: "#fff", fontSize: 24, fontWeight: 600 }} data-testid="hotline">
              {hotline}
            </a>
          </div>
          {/* The chat is the page's third section: on a phone, about a thousand pixels down. */}
          <Button href="#owner-chat" size="large" icon={<MessageOutlined />} style={{ marginTop: 12 }}>
            在线报修与咨询
          </Button>
        </div>
      </header>
      <main style={{ maxWidth: 720, margin: "0 auto", padding: 12 }}>
        <Space direction="vertical" size="middle" style={{ width: "100%" }}>
          <Alert
            type="info"
            showIcon
            message="房屋出现渗漏、开裂等质量问题，可拨打承保公司报案电话或平台服务热线报案，也可在下方在线报修。"
          />
          <FindMyHome communities={communities} />
          <FollowMyClaim />
          <Card title="在线报修与咨询" data-testid="owner-chat" id="owner-chat" style={{ scrollMarginTop: 8 }}>
            <Typography.Paragraph type="secondary">
              验证手机号后，可在线报修、查询保险责任和理赔进度、对已结案的理赔进行评价。
            </Typography.Paragraph>
            <OwnerChat height={420} />
          </Card>
        </Space>
      </main>
    </div>
  );
}
