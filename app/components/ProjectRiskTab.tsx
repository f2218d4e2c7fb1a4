import type { SerializeFrom } from "@remix-run/node";
import { formatFigure } from "~/shared/figures";
import { Alert } from "~/components/ui/Alert";
import { Card } from "~/components/ui/Card";
import { Descriptions } from "~/components/ui/Descriptions";
import Empty from "antd/es/empty";
import { Stars } from "~/components/ui/Stars";
import { Space } from "~/components/ui/Space";
import { Statistic } from "~/components/ui/Statistic";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import { Timeline } from "~/components/ui/Timeline";
import { Typography } from "~/components/ui/Typography";
import type { ProjectRiskTab as ProjectRiskTabData } from "~/server/risk/risk-views.server";
import { GRADE_LABELS, type Grade } from "~/shared/risk-score";
import { PROJECT_STAGE_LABELS, REPORT_DECISION_LABELS, RISK_REPORT_KIND_LABELS } from "~/shared/risk-labels";
import { formatDateTime } from "~/shared/time";
import { AttachmentsPreview } from "./AttachmentsPreview";
import { FoldedText } from "./FoldedText";
import { PhotoThumbnails } from "./PhotoThumbnails";
import { RiskEventList } from "./RiskEventList";
import { ScoreTrendChart } from "./ScoreTrendChart";
import { WIDE_TABLE } from "./layout";

type Data = SerializeFrom<ProjectRiskTabData>;
type Overview = Data["overview"];
type Report = Overview["reports"][number];

const COLUMNS = { xs: 1, sm: 2, lg: 3 };
const text = (v: unknown) => (typeof v === "string" && v.trim() ? v : "—");
const gradeLabel = (grade: string | null) => (grade ? (GRADE_LABELS[grade as Grade] ?? grade) : "");

/** A project's 风险 tab: stage and counts, the approved plan, inspections, events, reports and the score trend. */
export function ProjectRiskTab({ data }: { data: Data }) {
  const { overview } = data;
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <RiskSummary overview={overview} progress={data.progress} />
      <PlanCard overview={overview} />
      <Card title="现场检查">
        <InspectionTimeline inspections={overview.inspections} />
      </Card>
      <Card title="风险事件">
        <RiskEventList data={data.events} project={{ tab: "risk" }} />
      </Card>
      <Card title="风险管理报告">
        <ReportTable reports={overview.reports} />
      </Card>
      <Card title="评分趋势">
        <ScoreTrendChart points={overview.scoreTrend} />
      </Card>
    </Space>
  );
}

function RiskSummary({ overview, progress }: { overview: Overview; progress: string | null }) {
  const { project, policy, counts, rating } = overview;
  // As the dashboard shows a rate: two decimals.
  const rate = counts.rectificationRate === null ? "—" : `${formatFigure(counts.rectificationRate * 100, "%")}%`;
  return (
    <Card
      title="风险管理概况"
      extra={<Tag color={project.stage === "terminated" ? "error" : "processing"}>{PROJECT_STAGE_LABELS[project.stage]}</Tag>}
    >
      {policy?.status === "terminated" ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={`保险合同已终止${policy.terminatedAt ? `（${formatDateTime(policy.terminatedAt, "YYYY-MM-DD")}）` : ""}`}
          description={policy.terminationReason ? `终止原因：${policy.terminationReason}` : undefined}
        />
      ) : null}
      <Descriptions
        size="small"
        column={COLUMNS}
        items={[
          { key: "stage", label: "项目阶段", children: PROJECT_STAGE_LABELS[project.stage] },
          { key: "progress", label: "当前环节", children: progress ?? "—" },
          { key: "tis", label: "风险管理机构", children: project.tisName ?? "—" },
          { key: "completion", label: "竣工验收日期", children: project.completionAcceptedOn ?? "—" },
          ...(project.reinspectionDueOn ? [{ key: "reinspection", label: "复查日期", children: project.reinspectionDueOn }] : []),
          ...(rating
            ? [
                {
                  key: "rating",
                  label: "保险公司对风险管理机构的评价",
                  span: "filled" as const,
                  children: (
                    <Space wrap>
                      <Stars value={rating.stars} aria-label={`${rating.stars}星`} />
                      <span>{rating.stars}星</span>
                      {rating.comment ? <Typography.Text type="secondary">{rating.comment}</Typography.Text> : null}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Space wrap size={32} style={{ marginTop: 16 }} data-testid="risk-counts">
        <Statistic title="发现风险事件" value={counts.raised} suffix="项" />
        <Statistic title="已销项" value={counts.closed} suffix="项" />
        <Statistic title="未销项" value={counts.open} suffix="项" />
        <Statistic title="已逾期" value={counts.overdue} suffix="项" valueStyle={counts.overdue ? { color: "#cf1322" } : undefined} />
        <Statistic title="整改率" value={rate} />
      </Space>
    </Card>
  );
}

function PlanCard({ overview }: { overview: Overview }) {
  const plan = overview.reports.find((r) => r.kind === "plan");
  const sections = overview.project.sections;
  if (!plan)
    return (
      <Card title="风险交底及检查计划">
        <Empty description="风险管理机构尚未提交风险交底及检查计划，或计划尚未通过审核" />
      </Card>
    );
  const body = plan.body as Record<string, unknown>;
  return (
    <Card title="风险交底及检查计划" extra={<Typography.Text type="secondary">{plan.filedOn} 通过审核</Typography.Text>}>
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: "briefing", label: "风险交底情况", children: text(body.briefing) },
          { key: "points", label: "主要质量风险点", children: text(body.riskPoints) },
          { key: "plan", label: "检查方式及计划", children: text(body.inspectionPlan) },
          { key: "materials", label: "交底材料及风险管理计划", children: <AttachmentsPreview value={plan.documents} /> },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        承保单体
      </Typography.Title>
      <Table
        size="small"
        rowKey={(s) => s.name}
        pagination={false}
        {...WIDE_TABLE}
        dataSource={sections}
        locale={{ emptyText: "未登记承保单体" }}
        columns={[
          { title: "单体名称", dataIndex: "name" },
          { title: "结构类型", dataIndex: "structure", render: (v?: string) => v ?? "—" },
          { title: "地上层数", dataIndex: "floors", align: "right", render: (v?: number) => v ?? "—" },
          {
            title: "建筑面积（㎡）",
            dataIndex: "area",
            align: "right",
            render: (v?: number) => (v === undefined ? "—" : v.toLocaleString("zh-CN")),
          },
        ]}
      />
    </Card>
  );
}

function InspectionTimeline({ inspections }: { inspections: Overview["inspections"] }) {
  if (!inspections.length) return <Empty description="暂无现场检查记录" />;
  return (
    <Timeline
      data-testid="inspection-timeline"
      items={inspections.map((i) => ({
        key: i.id,
        color: i.events ? "red" : "green",
        children: (
          <Space direction="vertical" size={4} style={{ width: "100%" }}>
            <Typography.Text strong>
              {i.inspectedOn} {i.stage}
            </Typography.Text>
            <Typography.Text type="secondary">检查人员：{i.inspectors}</Typography.Text>
            <FoldedText text={i.findings} />
            <Typography.Text>{i.events ? `发现风险事件 ${i.events} 项` : "未发现风险事件"}</Typography.Text>
            {i.photos.length ? <PhotoThumbnails photos={i.photos} size={56} /> : null}
          </Space>
        ),
      }))}
    />
  );
}

function ReportTable({ reports }: { reports: Report[] }) {
  return (
    <Table
      size="small"
      rowKey="id"
      pagination={false}
      {...WIDE_TABLE}
      dataSource={reports}
      locale={{ emptyText: "暂无报告" }}
      columns={[
        { title: "报告", dataIndex: "kind", width: 180, render: (k: Report["kind"]) => RISK_REPORT_KIND_LABELS[k] },
        { title: "报告日期", dataIndex: "filedOn", width: 110 },
        {
          title: "评分",
          dataIndex: "score",
          width: 130,
          render: (score: number | null, r) => (score === null ? "—" : `${score}分 ${gradeLabel(r.grade)}`),
        },
        {
          title: "审核结果",
          dataIndex: "decision",
          render: (d: string | null, r) =>
            d ? `${REPORT_DECISION_LABELS[d] ?? "已处理"}${r.decisionNote ? `：${r.decisionNote}` : ""}` : "—",
        },
        { title: "文件", dataIndex: "documents", render: (docs: Report["documents"]) => <AttachmentsPreview value={docs} /> },
      ]}
    />
  );
}
