import DownloadOutlined from "@ant-design/icons/es/icons/DownloadOutlined";
import UploadOutlined from "@ant-design/icons/es/icons/UploadOutlined";
import type { SerializeFrom } from "@remix-run/node";
import { useFetcher, useRevalidator } from "@remix-run/react";
import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import Form from "antd/es/form";
import Input from "antd/es/input";
import Select from "antd/es/select";
import { Space } from "~/components/ui/Space";
import { Table } from "~/components/ui/Table";
import { Typography } from "~/components/ui/Typography";
import { useEffect, useState } from "react";
import type { UnitList } from "~/server/claims/units.server";
import { buildingLabel } from "~/shared/home-address";
import { FileButton } from "./FileButton";
import { OrganisationCodeInput } from "./OrganisationLookup";
import { SearchBar } from "./SearchBar";
import { useListParams } from "./useListParams";
import { searchRule } from "~/shared/search";
import { choosePrompt } from "./FilterSelect";
import { WIDE_TABLE } from "./layout";
import { useFeedback } from "~/components/feedback";
import { CLEARABLE } from "~/components/ui/clearable";

type Data = SerializeFrom<UnitList>;

interface ImportOutcome {
  ok: boolean;
  message?: string;
  fields?: Record<string, string>;
  rows?: string[];
  added?: number;
  updated?: number;
}

/** A project's 房屋 tab: its homes, and for those who may, the import of the developer's list. */
export function ProjectUnitsTab({ projectId, data }: { projectId: string; data: Data }) {
  const list = useListParams();
  return (
    <Space direction="vertical" size={16} style={{ width: "100%" }}>
      <PropertyCompany projectId={projectId} data={data} />
      {data.canImport ? <UnitsImport projectId={projectId} /> : null}
      <SearchBar fields={["tab", "building", "q"]}>
        <Form.Item name="tab" hidden>
          <Input />
        </Form.Item>
        <Form.Item name="building" label="楼栋">
          <Select
            allowClear
            placeholder={choosePrompt("楼栋")}
            style={{ width: 120 }}
            options={data.buildings.map((b) => ({ value: b, label: buildingLabel(b) }))}
          />
        </Form.Item>
        <Form.Item name="q" label="搜索" rules={[searchRule(50)]}>
          <Input
            allowClear={CLEARABLE}
            placeholder={data.contactMasked ? "完整房号，如 1401、2单元1401" : "完整房号（如 2单元1401）或业主姓名"}
          />
        </Form.Item>
      </SearchBar>
      <Table
        size="small"
        rowKey="id"
        {...WIDE_TABLE}
        dataSource={data.rows}
        pagination={list.pagination(data, "户")}
        locale={{
          emptyText:
            list.get("q") || list.get("building")
              ? "未找到符合条件的房屋"
              : data.canImport
                ? "尚未导入房屋清单，请下载模板填写后导入"
                : "建设单位尚未导入房屋清单",
        }}
        columns={[
          { title: "楼栋", dataIndex: "building" },
          { title: "单元", dataIndex: "unitNo" },
          { title: "房号", dataIndex: "room" },
          { title: "面积（㎡）", dataIndex: "area", align: "right", render: (v: string | null) => v ?? "—" },
          { title: "业主", dataIndex: "ownerName", render: (v: string | null) => v ?? "—" },
          { title: "电话", dataIndex: "ownerPhone", render: (v: string | null) => v ?? "—" },
        ]}
      />
      {data.contactMasked ? <Typography.Text type="secondary">业主姓名和电话已按个人信息保护要求脱敏显示。</Typography.Text> : null}
    </Space>
  );
}

/** 导入房屋清单: an .xlsx posted to the import route; a refused file's row errors listed under it. */
function UnitsImport({ projectId }: { projectId: string }) {
  const revalidator = useRevalidator();
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [sending, setSending] = useState(false);
  const upload = async (file: File) => {
    setOutcome(null);
    setSending(true);
    const body = new FormData();
    body.append("file", file);
    try {
      const response = await fetch(`/projects/${projectId}/units`, { method: "POST", body, credentials: "same-origin" });
      const answer = (await response.json().catch(() => null)) as ImportOutcome | null;
      if (response.ok && answer?.ok) {
        setOutcome(answer);
        revalidator.revalidate();
      } else setOutcome(answer && typeof answer === "object" ? { ...answer, ok: false } : { ok: false, message: "上传失败，请稍后重试" });
    } catch {
      setOutcome({ ok: false, message: "上传失败，请稍后重试" });
    } finally {
      setSending(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Space wrap>
        <FileButton
          type="primary"
          icon={<UploadOutlined aria-hidden />}
          disabled={sending}
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onFile={(file) => void upload(file)}
        >
          导入房屋清单
        </FileButton>
        <Button href="/units-template.xlsx" download icon={<DownloadOutlined aria-hidden />}>
          下载模板
        </Button>
        <Typography.Text type="secondary">
          Excel 文件（.xlsx，至多 5MB、5000 户）；同一楼栋、单元、房号再次导入时更新面积和业主信息。
        </Typography.Text>
      </Space>
      {outcome?.ok ? (
        <Alert type="success" showIcon message={`导入完成：新增 ${outcome.added} 户，更新 ${outcome.updated} 户`} />
      ) : outcome ? (
        <Alert
          type="error"
          showIcon
          message={outcome.fields?.file ?? outcome.message ?? "导入失败"}
          description={
            outcome.rows?.length ? (
              <ul className="unit-import-errors" style={{ maxHeight: 240, overflow: "auto", margin: 0, paddingLeft: 20 }}>
                {outcome.rows.map((row) => (
                  <li key={row}>{row}</li>
                ))}
              </ul>
            ) : undefined
          }
        />
      ) : null}
    </Space>
  );
}

type NameAnswer = { ok: true } | { ok: false; message: string; fields?: Record<string, string> };

/** 物业服务企业: who looks after the homes (and may import their list); the developer names or changes it here. */
function PropertyCompany({ projectId, data }: { projectId: string; data: Data }) {
  const fetcher = useFetcher<NameAnswer>();
  const { message } = useFeedback();
  const [editing, setEditing] = useState(false);
  const [code, setCode] = useState("");
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const error = answer && !answer.ok ? (answer.fields?.creditCode ?? answer.message) : null;
  useEffect(() => {
    if (!answer?.ok) return;
    message.success("已指定物业服务企业");
    setEditing(false);
    setCode("");
  }, [answer, message]);
  const current = data.propertyCompany;
  if (!data.canNamePropertyCompany && !current) return null;
  return (
    <Space direction="vertical" size={4} style={{ width: "100%" }}>
      <Space wrap>
        <Typography.Text strong>物业服务企业：</Typography.Text>
        <Typography.Text data-testid="property-company">
          {current ? `${current.name}（${current.creditCode}）` : "尚未指定"}
        </Typography.Text>
        {data.canNamePropertyCompany && !editing ? (
          <Button size="small" onClick={() => setEditing(true)}>
            {current ? "更换" : "指定"}
          </Button>
        ) : null}
      </Space>
      {editing ? (
        <Form
          layout="inline"
          onFinish={() =>
            fetcher.submit({ creditCode: code }, { method: "post", action: `/projects/${projectId}`, encType: "application/json" })
          }
        >
          <Form.Item validateStatus={error ? "error" : undefined} help={error ?? "物业服务企业可导入和更新本项目的房屋清单"}>
            <OrganisationCodeInput
              aria-label="物业服务企业统一社会信用代码"
              placeholder="输入单位名称或统一社会信用代码"
              organisationType="repairer"
              value={code}
              onChange={setCode}
              style={{ width: 360 }}
            />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" loading={fetcher.state !== "idle"}>
                保存
              </Button>
              <Button onClick={() => setEditing(false)}>取消</Button>
            </Space>
          </Form.Item>
        </Form>
      ) : null}
    </Space>
  );
}
