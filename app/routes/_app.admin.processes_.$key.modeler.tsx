import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import Form from "antd/es/form";
import Input from "antd/es/input";
import { List } from "~/components/ui/List";
import { Modal } from "~/components/LazyModal";
import Popover from "antd/es/popover";
import { Space } from "~/components/ui/Space";
import { Tag } from "~/components/ui/Tag";
import { Typography } from "~/components/ui/Typography";
import diagramCss from "bpmn-js/dist/assets/diagram-js.css";
import bpmnCss from "bpmn-js/dist/assets/bpmn-js.css";
import bpmnFontCss from "bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css";
import panelCss from "@bpmn-io/properties-panel/dist/assets/properties-panel.css";
import lintCss from "bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { onDemand } from "~/components/deferred";
import { FileButton } from "~/components/FileButton";
import { ProcessModeler, type DiagramProblem, type LintIssue, type ProcessModelerHandle } from "~/components/ProcessModeler";
import { dryRunDrawing } from "~/server/api/dry-run-api.server";
import { requirePermission } from "~/server/auth/session.server";
import { handleAction, handleLoader, readBody } from "~/server/http/remix.server";
import {
  deployProcess,
  modelerChoices,
  processDraft,
  processVersion,
  processVersions,
  saveProcessDraft,
} from "~/server/process-admin/process-versions.server";
import { MAX_REASON_CHARS, lintIssueText } from "~/shared/modeler-texts";
import { formatDateTime } from "~/shared/time";
import { useUnsavedChanges } from "~/components/useUnsavedChanges";

// 试运行's drawer, loaded when first opened (decision 042).
const DryRunDrawer = onDemand(() => import("~/components/DryRunDrawer").then((m) => m.DryRunDrawer));

export const links: LinksFunction = () =>
  [diagramCss, bpmnCss, bpmnFontCss, panelCss, lintCss].map((href) => ({ rel: "stylesheet", href }));

// The modeler page (decision 035): a deployed version (?version=N) or the draft, drawn in bpmn-js
// with the platform's choices and lint; saved as the draft, deployed with a reason, downloaded or
// replaced by an uploaded .bpmn file.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  return handleLoader(async () => {
    const key = params.key!;
    const versions = await processVersions(actor, key);
    const draft = await processDraft(actor, key);
    const asked = new URL(request.url).searchParams.get("version");
    const version = asked !== null ? await processVersion(actor, key, /^\d{1,9}$/.test(asked) ? Number(asked) : NaN) : null;
    const latest = versions[versions.length - 1];
    const source = version
      ? { kind: "version" as const, version: version.version, xml: version.xml }
      : draft
        ? { kind: "draft" as const, version: draft.basedOnVersion, xml: draft.xml }
        : { kind: "version" as const, version: latest.version, xml: (await processVersion(actor, key, latest.version)).xml };
    return json({
      key,
      name: latest.name,
      latestVersion: latest.version,
      source,
      draft: draft && { version: draft.version, updatedByName: draft.updatedByName, updatedAt: draft.updatedAt },
      ...(await modelerChoices(actor)),
    });
  });
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = await requirePermission(request, context, "manage:processes");
  return handleAction(async () => {
    const { intent, ...body } = await readBody(request);
    // 试运行: the drawing run with the samples, nothing written (app/server/workflow/dry-run.server.ts).
    if (intent === "dryRun") return json({ ok: true as const, result: await dryRunDrawing(body) });
    if (intent === "save") {
      const draft = await saveProcessDraft(actor, params.key!, body);
      return json({ ok: true as const, saved: { version: draft.version, at: draft.updatedAt }, deployed: null });
    }
    const { definition, created } = await deployProcess(actor, body, { key: params.key! });
    return json({ ok: true as const, saved: null, deployed: { version: definition.version, created } });
  });
}

type Result =
  | { ok: true; saved: { version: number; at: string } | null; deployed: { version: number; created: boolean } | null }
  | { ok: false; message: string; fields?: Record<string, string>; problems?: DiagramProblem[] };

function downloadText(text: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/xml" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export default function ProcessModelerPage() {
  const { key, name, latestVersion, source, draft, choices, checks } = useLoaderData<typeof loader>();
  const modeler = useRef<ProcessModelerHandle>(null);
  const save = useFetcher<Result>();
  const deploy = useFetcher<Result>();
  const [draftVersion, setDraftVersion] = useState(draft?.version ?? 0);
  const [lintIssues, setLintIssues] = useState<LintIssue[]>([]);
  const [issuesOpen, setIssuesOpen] = useState(false);
  const lintErrors = lintIssues.filter((i) => i.category === "error").length;
  const [deploying, setDeploying] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [laidOut, setLaidOut] = useState<string | null>(null);
  const [dryRunning, setDryRunning] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const saved = save.state === "idle" ? save.data : undefined;
  const deployed = deploy.state === "idle" ? deploy.data : undefined;
  const refused: DiagramProblem[] = deployed && !deployed.ok ? (deployed.problems ?? []) : [];
  // Changed since it was opened, saved or deployed: leaving asks first.
  const [dirty, setDirty] = useState(false);
  useUnsavedChanges(dirty && save.state === "idle" && deploy.state === "idle");

  useEffect(() => {
    if (saved?.ok && saved.saved) {
      setDraftVersion(saved.saved.version);
      setDirty(false);
    }
  }, [saved]);
  useEffect(() => {
    if (deployed?.ok && deployed.deployed) {
      setDraftVersion(0);
      setDeploying(false);
      setDirty(false);
      form.resetFields();
    }
    if (deployed && !deployed.ok && deployed.fields?.reason) form.setFields([{ name: "reason", errors: [deployed.fields.reason] }]);
    else if (deployed && !deployed.ok) setDeploying(false);
  }, [deployed, form]);

  const submit = async (fetcher: typeof save, values: Record<string, unknown>) => {
    const xml = await modeler.current!.xml();
    fetcher.submit({ ...values, xml } as never, { method: "post", encType: "application/json" });
  };
  const base = `/admin/processes/${encodeURIComponent(key)}`;
  const drawing = useCallback(async () => ({ xml: await modeler.current!.xml(), userTasks: modeler.current!.userTasks() }), []);
  const markDirty = useCallback(() => setDirty(true), []);
  const markPath = useCallback((ids: string[]) => modeler.current?.markPath(ids), []);
  const formSamples = useMemo(() => Object.fromEntries(choices.forms.map((f) => [f.key, f.sample])), [choices]);

  return (
    <Space direction="vertical" size={12} style={{ width: "100%" }}>
      <Card
        size="small"
        title={
          <Space>
            {`${name}（${key}）`}
            {source.kind === "draft" ? <Tag color="orange">草稿</Tag> : <Tag color="blue">{`第${source.version}版`}</Tag>}
            <Typography.Text type="secondary">{`当前发布：第${latestVersion}版`}</Typography.Text>
          </Space>
        }
        extra={<Link to={base}>版本列表</Link>}
      >
        <Space wrap>
          <Button
            onClick={() => submit(save, { intent: "save", version: draftVersion })}
            loading={save.state !== "idle"}
            data-testid="save-draft"
          >
            保存草稿
          </Button>
          <Button type="primary" onClick={() => setDeploying(true)} data-testid="deploy">
            发布为新版本…
          </Button>
          <Button onClick={() => setDryRunning(true)} data-testid="dry-run">
            试运行…
          </Button>
          <Button onClick={async () => downloadText(await modeler.current!.xml(), `${key}.bpmn`)}>下载 .bpmn</Button>
          <FileButton
            accept=".bpmn,.xml"
            onFile={(file) =>
              file
                .text()
                .then((text) => modeler.current!.open(text))
                .then((opened) => {
                  setUploadError(null);
                  setLaidOut(opened.laidOut ? file.name : null);
                })
                .catch(() => {
                  setLaidOut(null);
                  setUploadError(`“${file.name}”不是可读的 BPMN 2.0 流程图`);
                })
            }
          >
            上传 .bpmn
          </FileButton>
          <Popover
            trigger="click"
            placement="bottomLeft"
            open={issuesOpen && lintIssues.length > 0}
            onOpenChange={setIssuesOpen}
            title="检查发现的问题（点击定位到图中元素）"
            content={
              <List
                size="small"
                data-testid="lint-issues"
                style={{ maxHeight: 360, overflowY: "auto", width: 420 }}
                dataSource={lintIssues}
                renderItem={(issue) => (
                  <List.Item>
                    <Typography.Link
                      onClick={() => {
                        modeler.current?.show(issue.elementId);
                        setIssuesOpen(false);
                      }}
                    >
                      <Tag color={issue.category === "error" ? "red" : "orange"}>{issue.category === "error" ? "错误" : "提示"}</Tag>
                      {lintIssueText(issue)}
                    </Typography.Link>
                  </List.Item>
                )}
              />
            }
          >
            {lintErrors ? (
              <Tag color="red" data-testid="lint-errors" style={{ cursor: "pointer" }}>{`检查发现 ${lintErrors} 个错误`}</Tag>
            ) : (
              <Tag color="green" data-testid="lint-tag" style={lintIssues.length ? { cursor: "pointer" } : undefined}>
                {lintIssues.length ? `检查通过（${lintIssues.length} 条提示）` : "检查通过"}
              </Tag>
            )}
          </Popover>
        </Space>
        {draft && source.kind === "version" ? (
          <Alert
            style={{ marginTop: 8 }}
            type="warning"
            showIcon
            message={`已有草稿（${draft.updatedByName} 于 ${formatDateTime(draft.updatedAt)} 保存）：保存将以此图替换该草稿。`}
          />
        ) : null}
        {uploadError ? <Alert style={{ marginTop: 8 }} type="error" showIcon message={uploadError} /> : null}
        {laidOut ? (
          <Alert
            style={{ marginTop: 8 }}
            type="info"
            showIcon
            closable
            onClose={() => setLaidOut(null)}
            data-testid="laid-out"
            message={`“${laidOut}”文件没有图形信息，已自动排版：请检查布局后保存草稿。`}
          />
        ) : null}
        {saved?.ok && saved.saved ? (
          <Alert
            style={{ marginTop: 8 }}
            type="success"
            showIcon
            message={`草稿已保存（${formatDateTime(saved.saved.at)}）`}
            data-testid="saved"
          />
        ) : null}
        {saved && !saved.ok ? (
          <Alert style={{ marginTop: 8 }} type="error" showIcon message={saved.message} description={saved.fields?.xml} />
        ) : null}
        {deployed?.ok && deployed.deployed ? (
          <Alert
            style={{ marginTop: 8 }}
            type="success"
            showIcon
            data-testid="deployed"
            message={
              deployed.deployed.created
                ? `已发布为第${deployed.deployed.version}版：新发起的流程将按此版本运行，进行中的流程仍按原版本`
                : `流程图与第${deployed.deployed.version}版相同，未发布新版本`
            }
            action={<Link to={base}>查看版本列表</Link>}
          />
        ) : null}
        {deployed && !deployed.ok && !deployed.fields?.reason ? (
          <Alert
            style={{ marginTop: 8 }}
            type="error"
            showIcon
            data-testid="refused"
            message={deployed.message}
            description={
              refused.length ? (
                <List
                  size="small"
                  dataSource={refused}
                  renderItem={(p) => (
                    <List.Item>
                      {p.elementId ? (
                        <Typography.Link onClick={() => modeler.current?.show(p.elementId!)}>{p.message}</Typography.Link>
                      ) : (
                        p.message
                      )}
                    </List.Item>
                  )}
                />
              ) : (
                Object.values(deployed.fields ?? {}).join("；")
              )
            }
          />
        ) : null}
      </Card>
      <ProcessModeler
        ref={modeler}
        xml={source.xml}
        choices={choices}
        checks={checks}
        problems={refused}
        onLint={setLintIssues}
        onChange={markDirty}
      />
      <DryRunDrawer
        open={dryRunning}
        onClose={() => setDryRunning(false)}
        drawing={drawing}
        markPath={markPath}
        formSamples={formSamples}
      />
      <Modal
        title="发布为新版本"
        open={deploying}
        okText="发布"
        cancelText="取消"
        confirmLoading={deploy.state !== "idle"}
        onCancel={() => setDeploying(false)}
        onOk={() =>
          form
            .validateFields()
            .then(({ reason }) => submit(deploy, { reason, ...(draftVersion ? { draftVersion } : {}) }))
            // An empty reason: the form shows 请填写发布原因 under the field; nothing to submit.
            .catch(() => undefined)
        }
      >
        {lintErrors ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            message={`检查发现 ${lintErrors} 个错误，发布将被拒绝：请先改正（标为“提示”的问题不影响发布）`}
          />
        ) : null}
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label="发布原因"
            rules={[
              { required: true, whitespace: true, message: "请填写发布原因" },
              { max: MAX_REASON_CHARS, message: `发布原因不能超过${MAX_REASON_CHARS}个字` },
            ]}
          >
            <Input.TextArea
              rows={3}
              showCount
              maxLength={MAX_REASON_CHARS}
              placeholder="例如：增加复核环节，按2026年新规定"
              data-testid="deploy-reason"
            />
          </Form.Item>
        </Form>
        <Typography.Text type="secondary">发布后新发起的流程按新版本运行；进行中的流程仍按原版本直至结束。</Typography.Text>
      </Modal>
    </Space>
  );
}
