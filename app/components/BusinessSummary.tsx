import { Link } from "@remix-run/react";
import { Card } from "~/components/ui/Card";
import { Descriptions } from "~/components/ui/Descriptions";
import { Space } from "~/components/ui/Space";
import { Tag } from "~/components/ui/Tag";
import type { BusinessSummary as Summary, SummarySection } from "~/shared/business-summary";
import { AttachmentsPreview } from "./AttachmentsPreview";
import { FoldedText } from "./FoldedText";
import { DESCRIPTION_COLUMNS } from "./layout";

/** The business object a flow is about (a project, a risk event or a claim), with a link to its page. */
export function BusinessSummary({ summary }: { summary: Summary | null }) {
  if (!summary) return null;
  return (
    <Card
      data-testid="business-summary"
      title={
        <Space>
          <span>
            {summary.kind}：{summary.title}
          </span>
          {summary.status ? <Tag color={summary.status.color}>{summary.status.label}</Tag> : null}
        </Space>
      }
      extra={<Link to={summary.href}>查看{summary.kind}详情</Link>}
    >
      <SummarySections sections={summary.sections} />
    </Card>
  );
}

/** A business object's sections, each a titled list of texts and files (also its own page's body). */
export function SummarySections({ sections }: { sections: SummarySection[] }) {
  return (
    <Space direction="vertical" size={12} style={{ width: "100%" }}>
      {sections.map((section) => (
        <Descriptions
          key={section.title}
          title={section.title}
          size="small"
          column={DESCRIPTION_COLUMNS}
          items={section.items.map((item, i) => ({
            key: `${item.label}-${i}`,
            label: item.label,
            children: item.files ? <AttachmentsPreview value={item.files} /> : <FoldedText text={item.text ?? ""} />,
          }))}
        />
      ))}
    </Space>
  );
}
