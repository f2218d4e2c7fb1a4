import { json, redirect, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card } from "~/components/ui/Card";
import Empty from "antd/es/empty";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Typography } from "~/components/ui/Typography";
import diagramCss from "bpmn-js/dist/assets/diagram-js.css";
import bpmnCss from "bpmn-js/dist/assets/bpmn-js.css";
import { DateRangeFilters } from "~/components/DateFilter";
import { DiagramViewer, Swatch, type DiagramBadge, type LegendEntry } from "~/components/DiagramViewer";
import { FilterSelect } from "~/components/FilterSelect";
import { SearchBar } from "~/components/SearchBar";
import { requirePermission } from "~/server/auth/session.server";
import { handleLoader, refusedStatus } from "~/server/http/remix.server";
import { ValidationError } from "~/server/errors.server";
import { queryOf } from "~/server/query.server";
import { heatmapDiagram, heatmapProcesses, processHeatmap, type Heatmap, type HeatmapStep } from "~/server/flow-views/heatmap.server";

// 流程热力图 (docs/decisions/037): for a definition (all versions or one) and a period, the mean and
// 90th percentile of the time each step took and the share past its due date, drawn on the diagram
// so the bureau sees where projects and claims wait. The same figures: GET /api/v1/processes/{key}/heatmap.

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: diagramCss },
  { rel: "stylesheet", href: bpmnCss },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "view:process-heatmap");
  return handleLoader(async () => {
    const { process, ...query } = queryOf(request);
    const definitions = await heatmapProcesses();
    // No flow asked for: the first one, named in the address so the picker shows what the page does.
    if (!process && definitions[0]) {
      const url = new URL(request.url);
      url.searchParams.set("process", definitions[0].value);
      return redirect(`${url.pathname}${url.search}`);
    }
    const key = process;
    let map: Heatmap | null = null;
    let refused: Record<string, string> = {};
    if (key && !definitions.some((d) => d.value === key)) refused = { process: "流程不存在" };
    else if (key) {
      try {
        map = await processHeatmap(actor, key, query);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        refused = error.fields ?? {};
      }
    }
    const xml = map ? await heatmapDiagram(map.key, map.version) : null;
    return json({ definitions, key, map, xml, refused }, refusedStatus(refused));
  });
}

/** A time span as people read it: 分钟 under an hour, 小时 under two days, else 天. */
export function spanText(seconds: number): string {
  if (seconds < 60) return "<1分钟";
  if (seconds < 3600) return `${Math.round(seconds / 60)}分钟`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)}小时`;
  return `${(seconds / 86400).toFixed(1)}天`;
}

const percent = (share: number | null) => (share === null ? "—" : `${Math.round(share * 100)}%`);

// From the quickest step to the slowest (by mean): green, amber, red.
const SCALE: LegendEntry[] = [
  { label: "较快", fill: "#f6ffed", stroke: "#52c41a" },
  { label: "一般", fill: "#fffbe6", stroke: "#faad14" },
  { label: "较慢", fill: "#fff1f0", stroke: "#f5222d" },
];

/** Each step's colour on the diagram, by its mean against the slowest step's. */
function bandOf(steps: HeatmapStep[]): (step: HeatmapStep) => LegendEntry {
  const slowest = Math.max(...steps.map((s) => s.meanSeconds), 0);
  return (s) => SCALE[slowest ? Math.min(2, Math.floor((s.meanSeconds / slowest) * 3)) : 0];
}

function badgesOf(steps: HeatmapStep[]): DiagramBadge[] {
  const bandFor = bandOf(steps);
  return steps.map((s) => {
    const band = bandFor(s);
    const late = s.overdueShare === null ? "" : `逾期${percent(s.overdueShare)} · `;
    return {
      elementId: s.elementId,
      fill: band.fill,
      stroke: band.stroke,
      // Two short lines, so neighbouring steps' badges stay apart.
      text: `均${spanText(s.meanSeconds)} · P90 ${spanText(s.p90Seconds)}\n${late}${s.count}件`,
    };
  });
}

export default function ProcessHeatmap() {
  const { definitions, key, map, xml, refused } = useLoaderData<typeof loader>();
  const versions = (map?.versions ?? []).map((v) => ({ value: String(v), label: `第${v}版` }));
  return (
    <Card title={map ? `流程热力图：${map.name}` : "流程热力图"}>
      <SearchBar fields={["process", "version", "from", "to"]} refused={refused}>
        <FilterSelect name="process" label="流程" width={200} options={definitions} />
        <FilterSelect name="version" label="版本（默认全部）" width={160} options={versions} />
        <DateRangeFilters fromLabel="开始日期" toLabel="结束日期" />
      </SearchBar>
      {map && xml ? (
        <>
          <Typography.Paragraph type="secondary">
            {`${map.from} 至 ${map.to} 开始的环节（${map.version ? `第${map.version}版` : "全部版本"}）：平均与90%分位用时，未办结的按已等待时间计；逾期比例为有期限的环节中超过期限的比例。`}
          </Typography.Paragraph>
          <DiagramViewer xml={xml} completed={[]} current={[]} returned={[]} badges={badgesOf(map.steps)} legend={SCALE} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            整个流程图缩放在框内：按住 Ctrl 滚动鼠标滚轮可放大，按住拖动可平移；各环节的数字见下表（按平均用时从慢到快）。
          </Typography.Text>
          <Table
            data-testid="heatmap-steps"
            style={{ marginTop: 16 }}
            rowKey="elementId"
            size="small"
            pagination={false}
            // The slowest first: where the work waits is what the page is for.
            dataSource={[...map.steps].sort((a, b) => b.meanSeconds - a.meanSeconds)}
            locale={{ emptyText: "该期间没有开始的环节" }}
            columns={[
              {
                title: "环节",
                dataIndex: "name",
                render: (name: string, s) => {
                  const band = bandOf(map.steps)(s);
                  return (
                    <Space size={6}>
                      <Swatch fill={band.fill} stroke={band.stroke} size={12} radius={0} />
                      {`${name}（${band.label}）`}
                    </Space>
                  );
                },
              },
              { title: "件数", dataIndex: "count" },
              { title: "未办结", dataIndex: "open" },
              { title: "平均用时", dataIndex: "meanSeconds", render: spanText },
              { title: "90%分位用时", dataIndex: "p90Seconds", render: spanText },
              { title: "逾期比例", render: (_, s) => (s.withDue ? `${percent(s.overdueShare)}（${s.overdue}/${s.withDue}）` : "—") },
            ]}
          />
        </>
      ) : (
        <Empty description={key ? "查询条件有误" : "暂无流程"} />
      )}
    </Card>
  );
}
