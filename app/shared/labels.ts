import type { OrganisationStatus, OrganisationType, Role, UserStatus } from "@db/schema/roles";
import type { InstanceStatus, TaskStatus } from "@db/schema/workflow";

// Chinese names of the coded values, for every page and message.
export const ORGANISATION_TYPE_LABELS: Record<OrganisationType, string> = {
  regulator: "主管部门（住建局）",
  "financial-regulator": "金融监管部门",
  insurer: "保险公司",
  reinsurer: "再保险公司",
  tis: "风险管理机构",
  developer: "建设单位",
  contractor: "施工单位",
  supervisor: "监理单位",
  designer: "勘察设计单位",
  repairer: "维修单位/物业公司",
  platform: "平台运营方",
};

export const ROLE_LABELS: Record<Role, string> = {
  admin: "平台管理员",
  hotline: "服务热线坐席",
  regulator: "住建局",
  "financial-regulator": "金融监管",
  insurer: "保险公司",
  reinsurer: "再保险公司",
  tis: "风险管理机构",
  developer: "建设单位",
  contractor: "施工单位",
  supervisor: "监理单位",
  designer: "勘察设计单位",
  repairer: "维修单位",
  owner: "业主",
};

export const ORGANISATION_STATUS_LABELS: Record<OrganisationStatus, string> = {
  active: "正常",
  pending_review: "待审核",
  disabled: "已停用",
};

export const USER_STATUS_LABELS: Record<UserStatus, string> = {
  active: "正常",
  disabled: "已停用",
};

export const INSTANCE_STATUS_LABELS: Record<InstanceStatus, string> = {
  running: "进行中",
  completed: "已完成",
  incident: "异常",
  cancelled: "已取消",
  withdrawn: "已撤回",
};

export const TASK_STATUS_LABELS: Record<TaskStatus, string> = {
  open: "待办",
  completed: "已办",
  cancelled: "已取消",
};
