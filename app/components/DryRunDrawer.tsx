import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import Drawer from "antd/es/drawer";
import Input from "antd/es/input";
import { Space } from "~/components/ui/Space";
import { Timeline } from "~/components/ui/Timeline";
import { Typography } from "~/components/ui/Typography";
import { ROLE_LABELS } from "~/shared/labels";
import { formatDateTime } from "~/shared/time";
import type { DryRunResult, DryRunStep } from "~/shared/dry-run";

// 试运行 on the modeler page: the drawing, with sample submissions the administrator writes as JSON,
// run by the server's engine (nothing is written); the path it took is marked on the drawing.

/** What the page's action answers to the intent `dryRun`. */
export type DryRunAnswer = { ok: true; result: DryRunResult } | { ok: false; message: string; fields?: Record<string, string> };

/**
 * The samples an administrator starts from: for each user task of the drawing one submission of its
 * form, filled from the form's fields (`samples`, by form key; empty for a form the page does not know).
 */
export function sampleSkeleton(userTasks: { id: string; formKey?: string }[], samples: Record<string, Record<string, unknown>>): string {
  const submissions = Object.fromEntries(userTasks.map((t) => [t.id, [(t.formKey && samples[t.formKey]) || {}]]));
  return JSON.stringify({ submissions, serviceResults: {}, fireTimers: [] }, null, 2);
}

function stepText(step: DryRunStep): string {
  switch (step.kind) {
    case "task":
      return `生成待办“${step.name}”（表单 ${step.formKey}，办理角色 ${step.candidateRoles.map((r) => ROLE_LABELS[r as keyof typeof ROLE_LABELS] ?? r).join("、")}${step.dueAt ? `，期限 ${formatDateTime(step.dueAt)}` : ""}）`;
    case "submit":
      return `提交“${step.name}”：${JSON.stringify(step.submission)}`;
    case "refused":
      return `“${step.name}”的样例未通过表单校验：${Object.entries(step.fields)
        .map(([field, message]) => `${field}：${message}`)
        .join("；")}`;
    case "service":
      return `服务“${step.label}”（${step.elementId}）未真正执行，按样例结果：${JSON.stringify(step.answer)}`;
    case "timer":
      return `定时事件 ${step.elementId} 将于 ${formatDateTime(step.dueAt)} 到期`;
    case "timerFired":
      return `触发定时事件 ${step.elementId}`;
    case "end":
      return `到达结束事件${step.name ? `“${step.name}”` : ` ${step.elementId}`}`;
  }
}

function outcomeText(result: DryRunResult): { type: "success" | "info" | "warning" | "error"; text: string } {
  const outcome = result.outcome;
  switch (outcome.kind) {
    case "ended":
      return { type: "success", text: "流程按样例运行到结束" };
    case "waiting":
      return {
        type: "info",
        text: `流程停在：${[...outcome.tasks, ...outcome.timers].join("、") || "（无）"}，可为这些任务添加样例或触发定时事件后再试`,
      };
    case "refused":
      return { type: "warning", text: `任务 ${outcome.elementId} 的样例未通过表单校验` };
    case "failed":
      return { type: "error", text: `运行出错：${outcome.message}` };
    case "stepLimit":
      return { type: "warning", text: "运行超过200步仍未停下：样例可能使流程一直循环" };
  }
}

/**
 * The 试运行 drawer. `drawing` gives the current XML and user tasks; `markPath` marks the elements
 * and flows a run went through on the drawing (an empty list clears them). The marks stay after the
 * drawer closes, until the next run.
 */
export function DryRunDrawer({
  open,
  onClose,
  drawing,
  markPath,
  formSamples,
}: {
  open: boolean;
  onClose: () => void;
  drawing: () => Promise<{ xml: string; userTasks: { id: string; name: string; formKey?: string }[] }>;
  /** A sample submission of each form, by key. */
  formSamples: Record<string, Record<string, unknown>>;
  markPath: (ids: string[]) => void;
}) {
  const run = useFetcher<DryRunAnswer>();
  const [samples, setSamples] = useState<string | null>(null);
  const [notJson, setNotJson] = useState<string | null>(null);
  const answer = run.state === "idle" ? run.data : undefined;

  useEffect(() => {
    if (open && samples === null) void drawing().then(({ userTasks }) => setSamples(sampleSkeleton(userTasks, formSamples)));
  }, [open, samples, drawing, formSamples]);
  useEffect(() => {
    markPath(answer?.ok ? [...answer.result.path.elements, ...answer.result.path.flows] : []);
  }, [answer, markPath]);

  const start = async () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(samples ?? "{}");
    } catch {
      setNotJson("样例不是有效的 JSON");
      return;
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      setNotJson('样例应为 JSON 对象，例如 { "submissions": { "任务ID": [{ … }] } }');
      return;
    }
    setNotJson(null);
    const { xml } = await drawing();
    run.submit({ intent: "dryRun", ...(parsed as object), xml } as never, { method: "post", encType: "application/json" });
  };
  const outcome = answer?.ok ? outcomeText(answer.result) : null;

  return (
    <Drawer
      title="试运行（不发布、不写入任何数据）"
      open={open}
      width={480}
      // No mask: the drawing stays in view (and keeps the path marked after closing, until the next run).
      mask={false}
      onClose={onClose}
      extra={
        <Button type="primary" onClick={start} loading={run.state !== "idle"} data-testid="dry-run-start">
          运行
        </Button>
      }
    >
      <Space direction="vertical" style={{ width: "100%" }}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          按用户任务 ID 填写样例提交（任务每打开一次用一份）；服务任务不会真正执行，可在 serviceResults 中按其 ID 给出样例结果； fireTimers
          列出无样例可提交时要触发的定时事件。
        </Typography.Paragraph>
        <Input.TextArea
          value={samples ?? ""}
          onChange={(e) => setSamples(e.target.value)}
          autoSize={{ minRows: 8, maxRows: 18 }}
          style={{ fontFamily: "monospace" }}
          status={notJson ? "error" : undefined}
          data-testid="dry-run-samples"
        />
        {notJson ? <Typography.Text type="danger">{notJson}</Typography.Text> : null}
        {answer && !answer.ok ? (
          <Alert type="error" showIcon message={answer.message} description={Object.values(answer.fields ?? {}).join("\n")} />
        ) : null}
        {outcome ? <Alert type={outcome.type} showIcon message={outcome.text} data-testid="dry-run-outcome" /> : null}
        {answer?.ok ? (
          <Timeline
            data-testid="dry-run-steps"
            items={answer.result.steps.map((step, i) => ({
              key: i,
              color: step.kind === "refused" ? "red" : step.kind === "end" ? "green" : "blue",
              children: stepText(step),
            }))}
          />
        ) : null}
      </Space>
    </Drawer>
  );
}
