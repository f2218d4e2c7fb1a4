import { useFetcher } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import { Card } from "~/components/ui/Card";
import Col from "antd/es/col";
import Empty from "antd/es/empty";
import Input from "antd/es/input";
import { List } from "~/components/ui/List";
import Row from "antd/es/row";
import { Space } from "~/components/ui/Space";
import { Spin } from "~/components/ui/Spin";
import { Typography } from "~/components/ui/Typography";
import { useUnsavedChanges } from "./useUnsavedChanges";
import { Component, useEffect, useMemo, useState, type ComponentType, type ReactNode } from "react";
import { formKeyProblem, formSchemaIssues } from "~/shared/form-check";
import { formJsonSchema, type ServerCheckInfo } from "~/shared/form-json-schema";
import { textLength, tooLongMessage } from "~/shared/field-rules";
import type { FormSchemaEditorProps } from "./FormSchemaEditor.client";
import { PINNED_NOTE } from "./FormAdmin";
import { FormilyForm } from "./FormilyForm";

// The form editor: the schema's JSON in CodeMirror (loaded in the browser only, on this page only)
// beside a live Formily preview of it, the deploy check's problems listed in Chinese as one types
// (the same check the server runs when it is published), and publishing as a new version with a
// reason. A new version is used by the process versions deployed after it, not by running flows.

export const REASON_MAX = 500;

interface Published {
  ok: false;
  message?: string;
  fields?: Record<string, string>;
}

/** The preview's own failure (a schema Formily cannot render) stays inside the preview, until the schema changes. */
class PreviewBoundary extends Component<{ children: ReactNode }, { failure: string | null }> {
  state = { failure: null as string | null };
  static getDerivedStateFromError(error: unknown) {
    return { failure: error instanceof Error ? error.message : String(error) };
  }
  render() {
    return this.state.failure ? (
      <Alert type="warning" showIcon message="预览无法显示此表单定义" description={this.state.failure} />
    ) : (
      this.props.children
    );
  }
}

/** The schema as text, parsed: the object, or undefined while it is not JSON. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface FormEditorProps {
  /** The form's key; null on the new-form page, where it is typed. */
  formKey: string | null;
  initialText: string;
  /** The server checks the platform has: what a schema may name in x-server-checks. */
  serverChecks: ServerCheckInfo[];
  /** The version being edited (a newer one published meanwhile is refused, 409). */
  baseVersion: number | null;
}

export function FormEditor({ formKey, initialText, serverChecks: checks, baseVersion }: FormEditorProps) {
  const serverChecks = useMemo(() => checks.map((c) => c.name), [checks]);
  const jsonSchema = useMemo(() => formJsonSchema(checks), [checks]);
  const [text, setText] = useState(initialText);
  const [shown, setShown] = useState(initialText);
  const [key, setKey] = useState(formKey ?? "");
  const [reason, setReason] = useState("");
  const [Editor, setEditor] = useState<ComponentType<FormSchemaEditorProps> | null>(null);
  const fetcher = useFetcher<Published>();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  // A schema changed and not published: leaving asks first (publishing leads to the form's page).
  useUnsavedChanges(text !== initialText && fetcher.state === "idle");

  // CodeMirror is fetched after hydration, as its own chunk: no other page loads it.
  useEffect(() => {
    let live = true;
    void import("./FormSchemaEditor.client").then((m) => live && setEditor(() => m.FormSchemaEditor));
    return () => {
      live = false;
    };
  }, []);
  // The preview follows the text once typing pauses (a new Formily form each time).
  useEffect(() => {
    const timer = setTimeout(() => setShown(text), 300);
    return () => clearTimeout(timer);
  }, [text]);

  const value = useMemo(() => parsed(text), [text]);
  const problems = useMemo(() => (value === undefined ? null : formSchemaIssues(value, { serverChecks })), [value, serverChecks]);
  const preview = useMemo(() => {
    const schema = parsed(shown);
    return schema &&
      typeof schema === "object" &&
      !Array.isArray(schema) &&
      typeof (schema as { properties?: unknown }).properties === "object"
      ? (schema as Record<string, unknown>)
      : null;
  }, [shown]);

  const keyProblem = formKey === null && key !== "" ? formKeyProblem(key) : undefined;
  const reasonProblem = textLength(reason) > REASON_MAX ? tooLongMessage("发布原因", REASON_MAX) : undefined;
  const serverFields = answer?.fields ?? {};
  const serverSchemaProblems = Object.entries(serverFields).filter(([field]) => field === "schema" || field.startsWith("schema."));
  const canPublish = problems !== null && problems.length === 0 && !keyProblem && !reasonProblem && reason.trim() !== "" && key !== "";

  const publish = () =>
    fetcher.submit(
      { key, schema: value as never, reason, baseVersion, isNew: formKey === null },
      { method: "post", encType: "application/json" },
    );

  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <Alert type="info" showIcon message={PINNED_NOTE} />
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card title="表单定义（JSON）" size="small" styles={{ body: { padding: 0 } }}>
            {Editor ? (
              <Editor value={text} onChange={setText} jsonSchema={jsonSchema} serverChecks={serverChecks} />
            ) : (
              <Spin tip="正在加载编辑器…">
                <pre style={{ height: "70vh", margin: 0, overflow: "auto", padding: 12 }}>{text}</pre>
              </Spin>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title="预览" size="small">
            {preview ? (
              <PreviewBoundary key={shown}>
                <FormilyForm schema={preview}>
                  {(form) => (
                    <Button onClick={() => void form.validate().catch(() => {})} style={{ marginTop: 8 }}>
                      校验示例填写
                    </Button>
                  )}
                </FormilyForm>
              </PreviewBoundary>
            ) : (
              <Empty description="表单定义不是有效的 JSON 对象，暂无预览" />
            )}
          </Card>
        </Col>
      </Row>
      <Card title="发布检查" size="small" role="region" aria-label="发布检查">
        {problems === null ? (
          <Alert type="error" showIcon message="JSON 格式错误：请检查逗号、引号和括号是否成对" />
        ) : problems.length === 0 && serverSchemaProblems.length === 0 ? (
          <Alert type="success" showIcon message="未发现问题，可以发布" />
        ) : (
          <List
            size="small"
            header={
              <Typography.Text type="danger">{`${problems.length || serverSchemaProblems.length} 处问题，改正后才能发布`}</Typography.Text>
            }
            dataSource={problems.length ? problems.map((p) => [p.path, p.message] as const) : serverSchemaProblems}
            renderItem={([path, message]) => (
              <List.Item>
                <Typography.Text code>{path}</Typography.Text> {message}
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card title="发布为新版本" size="small">
        <Space direction="vertical" style={{ width: "100%" }}>
          {formKey === null ? (
            <div>
              <label htmlFor="form-key">表单标识</label>
              <Input
                id="form-key"
                value={key}
                onChange={(e) => setKey(e.target.value.trim())}
                placeholder="如 claim-revisit（流程图中 camunda:formKey 用它）"
                status={keyProblem || serverFields.key ? "error" : undefined}
              />
              {keyProblem || serverFields.key ? <Typography.Text type="danger">{keyProblem ?? serverFields.key}</Typography.Text> : null}
            </div>
          ) : null}
          <div>
            <label htmlFor="publish-reason">发布原因</label>
            <Input.TextArea
              id="publish-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              autoSize={{ minRows: 2, maxRows: 5 }}
              count={{ show: true, max: REASON_MAX, strategy: textLength }}
              placeholder="如：金额上限改为800元（将记入版本记录和审计日志）"
              status={reasonProblem || serverFields.reason ? "error" : undefined}
            />
            {reasonProblem || serverFields.reason ? (
              <Typography.Text type="danger">{reasonProblem ?? serverFields.reason}</Typography.Text>
            ) : null}
          </div>
          {answer && !answer.fields ? <Alert type="error" showIcon message={answer.message ?? "发布失败"} /> : null}
          <Button type="primary" disabled={!canPublish} loading={fetcher.state !== "idle"} onClick={publish}>
            {baseVersion === null ? "发布第1版" : `发布为第${baseVersion + 1}版`}
          </Button>
        </Space>
      </Card>
    </Space>
  );
}
