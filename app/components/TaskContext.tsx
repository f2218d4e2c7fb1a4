import DownOutlined from "@ant-design/icons/es/icons/DownOutlined";
import UpOutlined from "@ant-design/icons/es/icons/UpOutlined";
import Button from "antd/es/button";
import { useState } from "react";
import type { BusinessSummary as Summary } from "~/shared/business-summary";
import { BusinessSummary } from "./BusinessSummary";
import { EarlierSteps, type EarlierStep } from "./EarlierSteps";

/**
 * What a task is about (its business object) and the flow's steps done so far. On a desktop they
 * stand open above the form; on a phone (the inspector on site) the task page puts them below the
 * form, folded behind one button, so the form starts on the first screen. Which one is CSS
 * (AppShell's), so the page rendered on the server is already right for the screen.
 */
export function TaskContext({ summary, steps }: { summary: Summary | null; steps: EarlierStep[] }) {
  const [open, setOpen] = useState(false);
  if (!summary && !steps.length) return null;
  const what = [summary ? `${summary.kind}信息` : null, steps.length ? `已办环节（${steps.length}）` : null].filter(Boolean).join("与");
  return (
    <div className={open ? "idi-task-context idi-open" : "idi-task-context"}>
      <Button
        className="idi-narrow-only"
        block
        icon={open ? <UpOutlined aria-hidden /> : <DownOutlined aria-hidden />}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open ? "收起" : "查看"}
        {what}
      </Button>
      <div className="idi-task-context-body">
        <BusinessSummary summary={summary} />
        <EarlierSteps steps={steps} />
      </div>
    </div>
  );
}
