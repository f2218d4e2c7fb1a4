import { Descriptions } from "~/components/ui/Descriptions";
import { List } from "~/components/ui/List";
import { Space } from "~/components/ui/Space";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import type { UnitCoverage } from "~/server/claims/coverage.server";
import { partState } from "./coverage-state";

// A home's cover as the hotline reads it to a caller: who insures it and how to report, each
// coverage part with its period and whether it is in force today, and the claim steps. (The
// owners' page draws its own, without antd: owner/OwnerCoverage.)

function PartState({ part, today }: { part: UnitCoverage["parts"][number]; today: string }) {
  const { label, color } = partState(part, today);
  return <Tag color={color}>{label}</Tag>;
}

export function CoverageView({ coverage, today }: { coverage: UnitCoverage; today: string }) {
  const { project, unit, insurer, policy, parts, hotline, steps } = coverage;
  return (
    <Space direction="vertical" size="middle" style={{ width: "100%" }} data-testid="coverage">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label="房屋">
          {project.communityName} {unit.label}
        </Descriptions.Item>
        <Descriptions.Item label="承保公司">{insurer.name}</Descriptions.Item>
        <Descriptions.Item label="报案电话">
          {insurer.phone ? <a href={`tel:${insurer.phone}`}>{insurer.phone}</a> : `保险公司未登记，请拨打服务热线 ${hotline}`}
        </Descriptions.Item>
        <Descriptions.Item label="保单号">{policy?.policyNo ?? "尚未出单"}</Descriptions.Item>
      </Descriptions>
      <div>
        <Typography.Text strong>保险责任</Typography.Text>
        {parts.length ? (
          <List
            size="small"
            dataSource={parts}
            renderItem={(part) => (
              <List.Item key={part.label}>
                <Space direction="vertical" size={0}>
                  <Space wrap>
                    <span>{part.label}</span>
                    <PartState part={part} today={today} />
                  </Space>
                  <Typography.Text type="secondary">
                    {part.years}年：{part.start} 至 {part.end}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        ) : (
          <Typography.Paragraph type="secondary">该项目尚未出具保单</Typography.Paragraph>
        )}
      </div>
      <div>
        <Typography.Text strong>理赔流程</Typography.Text>
        <ol style={{ paddingLeft: 20, margin: "8px 0" }}>
          {steps.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
      </div>
      <div>
        <Typography.Text strong>如何报案</Typography.Text>
        <ul style={{ paddingLeft: 20, margin: "8px 0" }}>
          <li>
            拨打承保公司报案电话{insurer.phone ? "：" : ""}
            {insurer.phone ? <a href={`tel:${insurer.phone}`}>{insurer.phone}</a> : null}
          </li>
          <li>由坐席在本页“代业主报案”中为来电人报案</li>
        </ul>
      </div>
    </Space>
  );
}
