import { Link } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import Form from "antd/es/form";
import Input from "antd/es/input";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import { BUILDING_PARTS } from "@db/schema/building-parts";
import { RISK_EVENT_STATUSES, RISK_LEVELS } from "@db/schema/codes";
import type { RiskEventList as RiskEventListData } from "~/server/risk/risk-views.server";
import { DISTRICTS } from "~/shared/districts";
import {
  RECTIFIER_ROLE_LABELS,
  RISK_CATEGORY_LABELS,
  RISK_EVENT_STATUS_LABELS,
  RISK_LEVEL_COLORS,
  RISK_LEVEL_LABELS,
  riskEventNumber,
} from "~/shared/risk-labels";
import { FilterSelect, options } from "./FilterSelect";
import { FoldedText } from "./FoldedText";
import { FilterItem, SearchBar } from "./SearchBar";
import { UrgeRiskEventButton } from "./UrgeRiskEventButton";
import { countText, useListParams } from "./useListParams";
import { searchRule } from "~/shared/search";
import { DateRangeFilters } from "./DateFilter";
import { WIDE_TABLE } from "./layout";
import { CLEARABLE } from "~/components/ui/clearable";

type Data = SerializeFrom<RiskEventListData> & { refused?: Record<string, string> };
type Row = Data["page"]["rows"][number];

const STATUS_COLORS: Record<Row["status"], string> = {
  open: "orange",
  rectifying: "gold",
  awaiting_review: "processing",
  closed: "success",
  cancelled: "default",
};

const ACTIVE: readonly Row["status"][] = ["open", "rectifying", "awaiting_review"];

/** Filters set by a link (预警's rate lines, the 整改率 charts) with no picker: kept by 查询, shown as tags, each removable. */
const NARROWING: Record<string, (value: string) => string> = {
  cancelled: (v) => (v === "false" ? "不含已终止" : "仅已终止"),
  dueFrom: (v) => `整改期限起：${v}`,
  dueTo: (v) => `整改期限止：${v}`,
};

const OVERDUE_OPTIONS = [
  { value: "true", label: "已逾期" },
  { value: "false", label: "未逾期" },
];

/**
 * The risk-event list with its filters in the URL: across projects on /risk, or one project's on
 * its 风险 tab (`project`: the filters that name the project are left out, the tab is kept).
 */
export function RiskEventList({ data, project }: { data: Data; project?: { tab: string } }) {
  const list = useListParams();
  const { page, overdue } = data;
  const narrowed = Object.keys(NARROWING).filter((key) => list.get(key));
  return (
    <>
      <SearchBar
        refused={data.refused}
        fields={[
          "q",
          "type",
          "level",
          "status",
          "overdue",
          ...Object.keys(NARROWING),
          ...(project ? ["tab"] : ["tis", "insurer", "district", "from", "to"]),
        ]}
      >
        {Object.keys(NARROWING).map((name) => (
          <Form.Item key={name} name={name} hidden>
            <Input />
          </Form.Item>
        ))}
        <FilterItem name="q" rules={[searchRule()]}>
          <Input
            placeholder={project ? "部位、问题描述" : "项目名称、部位、问题描述"}
            aria-label="关键字"
            allowClear={CLEARABLE}
            style={{ width: 220 }}
          />
        </FilterItem>
        <FilterSelect name="type" label="类别" width={120} options={options(BUILDING_PARTS, RISK_CATEGORY_LABELS)} />
        <FilterSelect name="level" label="等级" width={100} options={options(RISK_LEVELS, RISK_LEVEL_LABELS)} />
        <FilterSelect name="status" label="状态" width={110} options={options(RISK_EVENT_STATUSES, RISK_EVENT_STATUS_LABELS)} />
        <FilterSelect name="overdue" label="是否逾期" width={110} options={OVERDUE_OPTIONS} />
        {project ? (
          <Form.Item name="tab" hidden>
            <Input />
          </Form.Item>
        ) : (
          <>
            <FilterSelect
              name="tis"
              label="风险管理机构"
              width={220}
              options={data.tisOptions.map((o) => ({ value: o.id, label: o.name }))}
            />
            <FilterSelect
              name="insurer"
              label="保险公司"
              width={220}
              options={data.insurerOptions.map((o) => ({ value: o.id, label: o.name }))}
            />
            <FilterSelect name="district" label="区县" width={140} options={DISTRICTS.map((d) => ({ value: d.code, label: d.name }))} />
            <DateRangeFilters fromLabel="上报日期起" toLabel="上报日期止" />
          </>
        )}
      </SearchBar>
      {narrowed.length ? (
        <Space wrap style={{ marginBottom: 12 }} data-testid="risk-narrowed-to">
          {narrowed.map((key) => (
            <Tag key={key} closable onClose={() => list.without(key)}>
              {NARROWING[key](list.get(key)!)}
            </Tag>
          ))}
        </Space>
      ) : null}
      <Typography.Paragraph data-testid="risk-summary">
        共{countText(page.total, page.capped)}项，已逾期<Typography.Text type={overdue ? "danger" : undefined}>{overdue}</Typography.Text>项
      </Typography.Paragraph>
      <Table
        rowKey="id"
        size="small"
        dataSource={page.rows}
        {...WIDE_TABLE}
        locale={{ emptyText: "暂无风险事件" }}
        pagination={list.pagination(page, "项")}
        columns={[
          {
            title: "编号",
            dataIndex: "seq",
            width: 100,
            fixed: "left",
            render: (seq: number, e) => <Link to={`/risk/events/${e.id}`}>{riskEventNumber(seq)}</Link>,
          },
          ...(project
            ? []
            : [
                {
                  title: "项目",
                  dataIndex: "projectName",
                  width: 180,
                  render: (name: string, e: Row) => <Link to={`/projects/${e.projectId}`}>{name}</Link>,
                },
              ]),
          { title: "类别", dataIndex: "category", width: 90, render: (c: Row["category"]) => RISK_CATEGORY_LABELS[c] },
          {
            title: "等级",
            dataIndex: "level",
            width: 70,
            render: (l: Row["level"]) => <Tag color={RISK_LEVEL_COLORS[l]}>{RISK_LEVEL_LABELS[l]}</Tag>,
          },
          {
            title: "部位及问题",
            dataIndex: "location",
            width: 260,
            render: (location: string, e: Row) => (
              <Space direction="vertical" size={0}>
                <span>{location}</span>
                <Typography.Text type="secondary">
                  <FoldedText text={e.description} rows={2} />
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: "整改期限",
            dataIndex: "deadline",
            width: 150,
            render: (d: string, e) =>
              e.overdue ? (
                <Typography.Text type="danger">
                  {d} <Tag color="error">已逾期</Tag>
                </Typography.Text>
              ) : (
                d
              ),
          },
          {
            title: "状态",
            dataIndex: "status",
            width: 90,
            render: (s: Row["status"]) => <Tag color={STATUS_COLORS[s]}>{RISK_EVENT_STATUS_LABELS[s]}</Tag>,
          },
          {
            title: "整改单位",
            dataIndex: "rectifierName",
            render: (name: string, e) => (
              <Space direction="vertical" size={0}>
                <span>{name}</span>
                <Typography.Text type="secondary">{RECTIFIER_ROLE_LABELS[e.rectifierRole]}</Typography.Text>
              </Space>
            ),
          },
          ...(project ? [] : [{ title: "风险管理机构", dataIndex: "tisName" }]),
          ...(data.canUrge
            ? [
                {
                  title: "操作",
                  key: "urge",
                  // 催办 and 已催办 12-05 16:31 side by side.
                  width: 210,
                  render: (_: unknown, e: Row) =>
                    ACTIVE.includes(e.status) && e.openStep ? <UrgeRiskEventButton eventId={e.id} step={e.openStep} size="small" /> : null,
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
