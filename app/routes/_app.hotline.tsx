import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import { Descriptions } from "~/components/ui/Descriptions";
import Empty from "antd/es/empty";
import Form from "antd/es/form";
import Input from "antd/es/input";
import { List } from "~/components/ui/List";
import { Modal } from "~/components/LazyModal";
import { Stars } from "~/components/ui/Stars";
import Select from "antd/es/select";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import { useEffect, useRef, useState } from "react";
import { CoverageView } from "~/components/CoverageView";
import { HomePicker } from "~/components/HomePicker";
import { deferred, Waiting } from "~/components/deferred";
import { SearchBar } from "~/components/SearchBar";
import { ServerForm } from "~/components/ServerForm";
import { mobileRule } from "~/components/mobile-rule";
import { textLimit } from "~/components/text-limit";
import { requirePermission } from "~/server/auth/session.server";
import { callerHome, findCaller, rateForCaller, reportForCaller, type CallerClaim, type CallerHome } from "~/server/claims/hotline.server";
import { findCommunities } from "~/server/claims/owner-page.server";
import { ValidationError } from "~/server/errors.server";
import { handleAction, handleLoader, readBody } from "~/server/http/remix.server";
import type { CallerProject } from "~/server/projects/caller-lookup.server";
import { typedAmount } from "~/shared/amounts";
import { CLAIM_PART_SHORT, claimNumber } from "~/shared/claim-labels";
import { DESCRIPTION_MAX, REPORTER_NAME_MAX } from "~/shared/claim-limits";
import { districtName } from "~/shared/districts";
import { buildingLabel, parseHomeAddress, unitNoLabel } from "~/shared/home-address";
import { PROJECT_STATUS_LABELS } from "~/shared/project-labels";
import { searchRule } from "~/shared/search";
import { choosePrompt } from "~/components/FilterSelect";
import { useFeedback } from "~/components/feedback";
import { CLEARABLE } from "~/components/ui/clearable";

/** 估计维修费用 as typed: a number of at least 1 yuan, or nothing (the hint says it may be left empty). */
const ESTIMATE_RULE = {
  validator: async (_rule: unknown, value: unknown) => {
    const amount = typedAmount(value);
    if (amount === null || amount === undefined) return;
    if (typeof amount !== "number") throw new Error("估计维修费用应为数字");
    if (amount < 1) throw new Error("估计维修费用应不少于1元");
  },
};

// The rating's stars and reasons, loaded with the dialog that asks for them (few calls rate a claim).
const RatingFields = deferred(
  () => import("~/components/RatingFields").then((m) => m.RatingFields),
  () => <Waiting text="加载中…" />,
);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "view:hotline");
  const params = new URL(request.url).searchParams;
  const q = params.get("q") ?? "";
  const unit = params.get("unit");
  const [search, home, communities] = await Promise.all([
    // A refused search (too long) is said on the search box, not as an error page.
    handleLoader(() =>
      findCaller(actor, { q }).catch((error: unknown) => {
        if (error instanceof ValidationError && error.fields?.q) return { kind: "refused" as const, message: error.fields.q };
        throw error;
      }),
    ),
    unit ? handleLoader(() => callerHome(actor, unit)) : null,
    // The picker's first few communities by name; it finds the others as the agent types.
    findCommunities(""),
  ]);
  return json({ q, search, home, communities });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, "view:hotline");
  return handleAction(async () => {
    const body = await readBody(request);
    if (body.intent === "report") {
      const claim = await reportForCaller(actor, body);
      return json({ ok: true as const, number: claimNumber(claim.seq) });
    }
    if (body.intent === "rate") {
      await rateForCaller(actor, body);
      return json({ ok: true as const });
    }
    throw new ValidationError({ form: "不支持的操作" });
  });
}

function CallerProjectCard({ p }: { p: CallerProject }) {
  const status = PROJECT_STATUS_LABELS[p.status];
  return (
    <Card
      size="small"
      title={
        <Space>
          <Link to={`/projects/${p.id}`}>{p.name}</Link>
          <Tag color={status.color}>{status.label}</Tag>
        </Space>
      }
      style={{ width: "100%" }}
    >
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label="小区">{p.communityName}</Descriptions.Item>
        <Descriptions.Item label="报建号">{p.permitNo}</Descriptions.Item>
        <Descriptions.Item label="地址">
          {districtName(p.district)} {p.address}
        </Descriptions.Item>
        <Descriptions.Item label="承保公司">{p.insurerName}</Descriptions.Item>
        <Descriptions.Item label="报案电话">{p.insurerPhone ?? "平台未登记"}</Descriptions.Item>
        <Descriptions.Item label="联系人">{p.insurerContact ?? "平台未登记"}</Descriptions.Item>
        <Descriptions.Item label="保单号">{p.policyNo ?? "尚未出单"}</Descriptions.Item>
        <Descriptions.Item label="保险期间">{p.periodStart ? `${p.periodStart} 至 ${p.periodEnd}` : "—"}</Descriptions.Item>
        <Descriptions.Item label="保险责任" span={2}>
          {p.coverage?.length ? p.coverage.map((c) => `${c.part}（${c.years}年）`).join("；") : "—"}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/** The console with a home opened, keeping the search that found it. */
function useHomeLink(): (unitId: string) => string {
  const [params] = useSearchParams();
  return (unitId) => {
    const next = new URLSearchParams(params);
    next.set("unit", unitId);
    return `?${next}`;
  };
}

function HomeList({ homes }: { homes: CallerHome[] }) {
  const homeLink = useHomeLink();
  const [params] = useSearchParams();
  const chosen = params.get("unit");
  return (
    <List
      size="small"
      header={<Typography.Text strong>房屋</Typography.Text>}
      dataSource={homes}
      renderItem={(h) => (
        <List.Item
          key={h.id}
          data-testid="caller-home-row"
          aria-current={h.id === chosen ? "true" : undefined}
          style={h.id === chosen ? { background: "#e6f4ff" } : undefined}
          actions={[
            <Link key="open" to={homeLink(h.id)}>
              查看房屋
            </Link>,
          ]}
        >
          <Space wrap>
            <span>{h.communityName}</span>
            {/* Building and unit as large as the room: two homes differ only there. */}
            <Typography.Text strong style={{ fontSize: 16 }}>
              {buildingLabel(h.building)} {unitNoLabel(h.unitNo)} {h.room}
            </Typography.Text>
            {h.exact ? null : <Tag color="warning">楼栋或单元与查询不符</Tag>}
            {h.id === chosen ? <Tag color="processing">已打开，见下方</Tag> : null}
            <Typography.Text type="secondary">
              业主：{h.ownerName ?? "未登记"} {h.ownerPhone ?? ""}
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

/**
 * A claim's rating in the caller's list: 代业主评价 while it may be rated, its stars once it is. The
 * dialog stays while it is open: should another agent rate the claim meanwhile, the refusal is said
 * in it as the stars take the button's place.
 */
function ClaimRating({ claim }: { claim: CallerClaim }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      {claim.canRate ? (
        <Button size="small" onClick={() => setOpen(true)}>
          代业主评价
        </Button>
      ) : claim.ratedStars ? (
        <Stars value={claim.ratedStars} aria-label={`已评价${claim.ratedStars}星`} style={{ fontSize: 14 }} />
      ) : null}
      <Modal title={`代业主评价：${claim.number}`} open={open} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        <ServerForm
          intent="rate"
          fixed={{ claimId: claim.id }}
          submitLabel="提交评价"
          successMessage="评价已记录"
          onSuccess={() => setOpen(false)}
        >
          <RatingFields />
        </ServerForm>
      </Modal>
    </>
  );
}

function ClaimTable({ claims }: { claims: CallerClaim[] }) {
  const homeLink = useHomeLink();
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      scroll={{ x: true }}
      dataSource={claims}
      locale={{ emptyText: "暂无理赔案件" }}
      columns={[
        { title: "案件号", dataIndex: "number", render: (n: string, c) => <Link to={`/claims/${c.id}`}>{n}</Link> },
        { title: "房屋", render: (_, c) => <Link to={homeLink(c.unitId)}>{`${c.communityName} ${c.unitLabel}`}</Link> },
        { title: "部位", dataIndex: "partLabel" },
        { title: "状态", dataIndex: "statusLabel", render: (s: string) => <Tag>{s}</Tag> },
        { title: "渠道", dataIndex: "channelLabel" },
        { title: "报案人", render: (_, c) => `${c.reporterName} ${c.reporterPhone}` },
        { title: "报案时间", dataIndex: "reportedAt" },
        {
          title: "操作",
          render: (_, c) => <ClaimRating claim={c} />,
        },
      ]}
    />
  );
}

const PART_OPTIONS = Object.entries(CLAIM_PART_SHORT).map(([value, label]) => ({ value, label }));
// As the report's service words them (reportSchema).
const DESCRIPTION = textLimit("缺陷描述", DESCRIPTION_MAX);
const REPORTER = textLimit("联系人", REPORTER_NAME_MAX);

function ReportForCaller({
  unitId,
  owner,
  openClaims,
}: {
  unitId: string;
  owner: { reporterName: string | null; reporterPhone: string | null };
  openClaims: string[];
}) {
  const [form] = Form.useForm();
  const { message } = useFeedback();
  return (
    <Card size="small" title="代业主报案">
      {openClaims.length ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={`该房屋已有未结案件 ${openClaims.join("、")}，请先确认来电人说的不是同一问题`}
        />
      ) : null}
      <ServerForm
        intent="report"
        form={form}
        fixed={{ unitId }}
        initialValues={owner}
        submitLabel="提交报案"
        onSuccess={(result) => {
          message.success(`报案已提交，案件号 ${String(result.number)}`);
          form.resetFields();
        }}
      >
        <Form.Item label="缺陷部位" name="part" rules={[{ required: true, message: "请选择缺陷部位" }]}>
          <Select aria-label="缺陷部位" options={PART_OPTIONS} placeholder={choosePrompt("缺陷部位")} />
        </Form.Item>
        <Form.Item label="缺陷描述" name="description" rules={[{ required: true, message: "请描述缺陷情况" }, DESCRIPTION.rule]}>
          <Input.TextArea rows={3} count={DESCRIPTION.count} />
        </Form.Item>
        <Form.Item label="来电人" name="reporterName" rules={[{ required: true, message: "请填写联系人" }, REPORTER.rule]}>
          <Input count={REPORTER.count} />
        </Form.Item>
        <Form.Item label="来电号码" name="reporterPhone" rules={[{ required: true, message: "请填写来电号码" }, mobileRule("来电号码")]}>
          <Input inputMode="tel" />
        </Form.Item>
        {/* Text, read as a number by the server (typedAmount): antd's number box alone weighs 8 KB. */}
        <Form.Item label="估计维修费用" extra="元，不清楚可不填" name="estimate" rules={[ESTIMATE_RULE]}>
          <Input inputMode="decimal" />
        </Form.Item>
      </ServerForm>
    </Card>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function FoundHome({ home }: { home: NonNullable<Loaded["home"]> }) {
  const card = useRef<HTMLDivElement>(null);
  // The card opens below the search and the picker: an agent who chose a home is taken to it.
  // A block, not an expression: Chromium's scrollIntoView now returns a promise, which React would
  // take for the effect's cleanup and call when the next home opens (the page broke on the second).
  useEffect(() => {
    card.current?.scrollIntoView({ behavior: "smooth", block: "start" });
  }, [home.home.id]);
  return (
    <Card ref={card} title={`${home.home.communityName} ${home.home.label}`} data-testid="caller-home">
      <Space direction="vertical" size="middle" style={{ width: "100%" }}>
        <Typography.Text>
          业主：{home.home.ownerName ?? "未登记"} {home.home.ownerPhone ?? ""}
        </Typography.Text>
        <CoverageView coverage={home.coverage} today={home.today} />
        <div>
          <Typography.Text strong>该房屋的理赔案件</Typography.Text>
          <ClaimTable claims={home.claims} />
        </div>
        <ReportForCaller
          key={home.home.id}
          unitId={home.home.id}
          owner={{ reporterName: home.home.ownerName, reporterPhone: home.home.ownerPhone }}
          openClaims={home.claims.filter((c) => c.open).map((c) => c.number)}
        />
      </Space>
    </Card>
  );
}

function SearchResult({ q, search, example }: { q: string; search: Loaded["search"]; example: string }) {
  if (search.kind === "refused") return null;
  if (search.kind === "notMobile")
    return <Empty description={`“${q}”不是中国大陆手机号，无法按来电号码查找；请核对号码（11位，如13812345678）`} />;
  if (search.kind === "none") return <Empty description="请输入来电号码、案件号、项目或小区名称" />;
  if (search.kind === "foreign") return <Empty description={search.message} />;
  if (search.kind === "claim")
    return search.claims.length ? <ClaimTable claims={search.claims} /> : <Empty description={`未找到案件“${q}”`} />;
  if (search.kind === "phone")
    return search.homes.length || search.claims.length ? (
      <Space direction="vertical" style={{ width: "100%" }}>
        {search.homes.length ? <HomeList homes={search.homes} /> : null}
        {search.claims.length ? <ClaimTable claims={search.claims} /> : null}
      </Space>
    ) : (
      <Empty description={`号码 ${search.phone} 没有登记的房屋或理赔案件`} />
    );
  return search.projects.length || search.homes.length ? (
    <Space direction="vertical" style={{ width: "100%" }}>
      {search.homes.length ? <HomeList homes={search.homes} /> : null}
      {search.projects.length ? (
        <List dataSource={search.projects} renderItem={(p) => <List.Item key={p.id}>{<CallerProjectCard p={p} />}</List.Item>} />
      ) : null}
    </Space>
  ) : (
    <Empty
      description={
        parseHomeAddress(q)
          ? `未找到与“${q}”匹配的房屋或项目。查找房屋请在楼栋房号前加上小区或项目名称，如“${example} ${q}”`
          : `未找到与“${q}”匹配的房屋或项目`
      }
    />
  );
}

/** 来电查询: the hotline's home, finding who calls, their home's cover and claims, and acting for them. */
export default function Hotline() {
  const { q, search, home, communities } = useLoaderData<typeof loader>();
  // The examples name a community the platform holds homes of.
  const example = communities[0]?.communityName ?? "小区名称";
  const navigate = useNavigate();
  const homeLink = useHomeLink();
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }}>
      <Card title="来电查询">
        <Typography.Paragraph type="secondary">
          {`输入来电号码查找业主的房屋和理赔案件，输入案件号查找案件，或按项目名称、小区名称、地址、报建号、保险公司（可用简称，如“太保”）查找项目；小区名称后加楼栋、单元和房号（如“${example} 3栋2单元1501”“${example} 3-2-1501”）可直接查找房屋，房号须完整，楼栋、单元都相符的排在前面。`}
        </Typography.Paragraph>
        <SearchBar fields={["q"]}>
          <Form.Item
            name="q"
            rules={[searchRule()]}
            {...(search.kind === "refused" ? { validateStatus: "error" as const, help: search.message } : {})}
          >
            <Input
              placeholder="来电号码、案件号、项目或小区名称"
              allowClear={CLEARABLE}
              style={{ width: 360, maxWidth: "100%" }}
              aria-label="来电查询"
            />
          </Form.Item>
        </SearchBar>
        <SearchResult q={q} search={search} example={example} />
      </Card>
      <Card title="按房屋查找">
        <div style={{ maxWidth: 480 }}>
          <HomePicker
            communities={communities}
            // A page reloaded with a home open shows that home in the picker too.
            home={home ? { ...home.home, unitId: home.home.id } : null}
            onPick={(unitId) => unitId && navigate(homeLink(unitId))}
          />
        </div>
      </Card>
      {home ? <FoundHome home={home} /> : null}
    </Space>
  );
}
