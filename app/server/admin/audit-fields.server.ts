import {
  INSTANCE_STATUS_LABELS,
  ORGANISATION_STATUS_LABELS,
  ORGANISATION_TYPE_LABELS,
  ROLE_LABELS,
  USER_STATUS_LABELS,
} from "~/shared/labels";
import { PROJECT_STATUS_LABELS } from "~/shared/project-labels";
import {
  PROJECT_STAGE_LABELS,
  RISK_CATEGORY_LABELS,
  RISK_EVENT_STATUS_LABELS,
  RISK_LEVEL_LABELS,
  RISK_REPORT_KIND_LABELS,
} from "~/shared/risk-labels";
import { districtName } from "~/shared/districts";
import { REPORT_FLOW_TITLES } from "~/shared/reports";
import { auditSubjectLabel } from "~/shared/audit-actions";
import { formatDateTime } from "~/shared/time";

// How the audit log reads the before/after of an event: the Chinese name of each field the
// services write (a form's own titles come first, see audit-view.server.ts), the fields that are
// the platform's bookkeeping and never shown, and how coded values read.

export const FIELD_LABELS: Record<string, string> = {
  address: "地址",
  at: "时间",
  attempt: "第几次执行",
  body: "内容",
  businessKey: "业务对象",
  businessType: "业务类型",
  cancelledFlows: "取消的流程数",
  category: "风险类别",
  completionAcceptedOn: "竣工验收日期",
  deadline: "整改期限",
  decision: "结论",
  events: "风险事件数",
  grade: "评级",
  inspectedOn: "检查日期",
  kind: "报告类型",
  level: "风险等级",
  measures: "整改措施",
  note: "说明",
  number: "编号",
  propertyCompanyId: "物业服务企业",
  rectifiedOn: "整改完成日期",
  reinspectionDueOn: "复查日期",
  score: "评分",
  stage: "阶段",
  stars: "评价星级",
  title: "标题",
  comment: "办理意见",
  confirmed: "是否确认投保",
  contactPerson: "联系人",
  contactPhone: "联系电话",
  creditCode: "统一社会信用代码",
  cutOff: "数据截至",
  madeBy: "生成方式",
  periodFrom: "统计期间起",
  periodTo: "统计期间止",
  displayName: "姓名",
  district: "区县",
  dueAt: "到期时间",
  fileName: "文件名",
  key: "名称",
  lockedUntil: "锁定至",
  message: "说明",
  name: "名称",
  notified: "通知人数",
  organisationId: "所属单位",
  organisations: "单位数",
  outcome: "处理结果",
  phone: "手机号",
  reason: "原因",
  roles: "角色",
  signsCancelled: "加签",
  size: "文件大小",
  status: "状态",
  type: "单位类型",
  username: "用户名",
  users: "用户数",
  version: "版本",
};

/** A 加签's events (decision 039): their own names and values, never another module's by the same key. */
const SIGN_FIELDS: ActionFields = {
  kind: { label: "加签方式", values: { before: "前加签", after: "后加签" } },
  signerName: { label: "加签人" },
  note: { label: "加签说明" },
  decision: { label: "意见", values: { approve: "同意", return: "退回" } },
  opinion: { label: "加签意见" },
  status: { label: "状态", values: { open: "待答复", approved: "已同意", returned: "已退回", cancelled: "已取消" } },
  reason: { label: "原因" },
  notified: { label: "通知人数" },
};

type ActionFields = Record<string, { label: string; values?: Record<string, string> }>;

/**
 * Actions whose fields are named by the action alone: neither the generic names above nor the
 * task's form (a form may have its own `decision`) label them.
 */
export const ACTION_FIELDS: Record<string, ActionFields> = {
  "task.sign": SIGN_FIELDS,
  "task.sign_answer": SIGN_FIELDS,
  "task.sign_cancel": SIGN_FIELDS,
};

/** Bookkeeping: ids the subject already names, hashes, raw error detail. */
export const HIDDEN_FIELDS = new Set([
  "id",
  "checksum",
  "passwordHash",
  "instanceId",
  "elementId",
  "executionId",
  "contentType",
  "cause",
  "detail",
  "createdAt",
  "updatedAt",
]);

const OUTCOMES: Record<string, string> = { task_closed: "任务已关闭", timer_released: "定时器已放行" };
// Statuses of every kind of subject (their values do not collide): users, organisations, flows, projects.
const STATUS_LABELS: Record<string, string> = {
  ...RISK_EVENT_STATUS_LABELS,
  ...USER_STATUS_LABELS,
  ...ORGANISATION_STATUS_LABELS,
  ...INSTANCE_STATUS_LABELS,
  ...Object.fromEntries(Object.entries(PROJECT_STATUS_LABELS).map(([status, { label }]) => [status, label])),
};
// The insurer's decisions on risk reports.
const DECISION_LABELS: Record<string, string> = {
  approved: "通过",
  returned: "退回",
  terminated: "终止保险合同",
  issued: "已出具",
  finished: "通过并结束回访",
};
// Coded values of the risk module, by the field that holds them.
/** Business keys that are not a record's id: the platform's own long-lived flows. */
const PLATFORM_BUSINESS_KEYS: Record<string, string> = { underwriting: "承保汇总报表（定期）", ...REPORT_FLOW_TITLES };

const CODED: Record<string, Record<string, string>> = {
  businessKey: PLATFORM_BUSINESS_KEYS,
  category: RISK_CATEGORY_LABELS,
  level: RISK_LEVEL_LABELS,
  kind: RISK_REPORT_KIND_LABELS,
  stage: PROJECT_STAGE_LABELS,
  decision: DECISION_LABELS,
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === "string" && UUID.test(v);

/** Names of ids and keys met in a page of events, looked up once for the page. */
export interface NameBook {
  byId: Map<string, string>;
  processByKey: Map<string, string>;
  formByKey: Map<string, string>;
}

/** A field's value as a reader of the log reads it ("" for nothing). */
export function formatValue(key: string, value: unknown, names: NameBook, options?: Map<unknown, string>): string {
  if (value === null || value === undefined || value === "") return "";
  if (options?.has(value)) return options.get(value)!;
  if (typeof value === "boolean") return value ? "是" : "否";
  if (Array.isArray(value))
    return value
      .map((v) => formatValue(key, v, names, options))
      .filter(Boolean)
      .join("、");
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    // An uploaded file is known by its name; a party by its name and code.
    if (typeof o.name === "string" && (isUuid(o.id) || typeof o.creditCode === "string"))
      return o.creditCode && o.name ? `${o.name}（${o.creditCode}）` : String(o.name || o.creditCode);
    return Object.entries(o)
      .filter(([k]) => !HIDDEN_FIELDS.has(k) && FIELD_LABELS[k])
      .map(([k, v]) => `${FIELD_LABELS[k]}：${formatValue(k, v, names)}`)
      .join("，");
  }
  if (typeof value === "number") {
    if (key === "signsCancelled") return `${value} 个加签已取消`;
    if (key === "size") return value >= 1048576 ? `${(value / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(value / 1024))} KB`;
    return value.toLocaleString("zh-CN", { maximumFractionDigits: 6 });
  }
  const text = String(value);
  if (UUID.test(text)) return names.byId.get(text.toLowerCase()) ?? "（已不存在的记录）";
  if (CODED[key]?.[text]) return CODED[key][text];
  if (key === "roles") return ROLE_LABELS[text as keyof typeof ROLE_LABELS] ?? text;
  if (key === "status") return STATUS_LABELS[text] ?? text;
  if (key === "type") return ORGANISATION_TYPE_LABELS[text as keyof typeof ORGANISATION_TYPE_LABELS] ?? text;
  if (key === "district") return districtName(text) || text;
  if (key === "businessType") return auditSubjectLabel(text);
  if (key === "outcome") return OUTCOMES[text] ?? text;
  if (key === "key") return names.processByKey.get(text) ?? names.formByKey.get(text) ?? text;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return formatDateTime(text, "YYYY-MM-DD HH:mm:ss");
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
