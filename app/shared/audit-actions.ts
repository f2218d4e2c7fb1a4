// Chinese names of audit actions and of the things they act on, for the audit log. recordAudit
// accepts only an action named here, so every action the platform writes has its label.
export const AUDIT_ACTION_LABELS = {
  "auth.login": "登录",
  "auth.logout": "退出登录",
  "auth.login_failed": "登录失败",
  "auth.account_locked": "账号锁定",
  "auth.login_refused_locked": "锁定期间尝试登录",
  "auth.login_refused_disabled": "停用账号尝试登录",
  "organisation.create": "新增单位",
  "organisation.update": "修改单位",
  "organisation.status": "变更单位状态",
  "organisation.register_pending": "登记待审核单位",
  "user.create": "新增用户",
  "user.update": "修改用户",
  "user.disable": "停用用户",
  "user.enable": "启用用户",
  "user.reset_password": "重置密码",
  "seed.demo_city": "初始化演示数据",
  "api_key.create": "生成接口密钥",
  "api_key.revoke": "停用接口密钥",
  "project.create": "登记项目",
  "project.update": "修改报建信息",
  "policy.record": "录入保险信息",
  "project.confirm": "确认投保",
  "project.return": "退回投保信息",
  "process.deploy": "发布流程",
  "process.start": "发起流程",
  "process.withdraw": "撤回流程",
  "process.incident": "流程异常",
  "process.retry": "重试流程异常",
  "task.complete": "办理任务",
  "task.claim": "认领任务",
  "task.unclaim": "取消认领",
  "task.urge": "催办",
  "comment.create": "发表评论",
  "attachment.upload": "上传附件",
  "form.deploy": "发布表单",
  "timer.fire": "定时器触发",
  "inspection.record": "登记现场检查",
  "risk_event.raise": "登记风险事件",
  "risk_event.rectify": "提交整改",
  "risk_event.close": "风险事件销项",
  "risk_event.return": "退回整改",
  "risk_event.overdue": "风险事件逾期",
  "risk_report.file": "提交风险报告",
  "risk_report.decide": "审核风险报告",
  "tis.rate": "评价风险管理机构",
  "project.completion": "登记竣工验收",
  "policy.terminate": "终止保险合同",
  "units.import": "导入房屋清单",
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof AUDIT_ACTION_LABELS;

export function auditActionLabel(action: string): string {
  return (AUDIT_ACTION_LABELS as Record<string, string>)[action] ?? "其他操作";
}

export const AUDIT_SUBJECT_LABELS: Record<string, string> = {
  account: "账号",
  api_key: "接口密钥",
  attachment: "附件",
  form_definition: "表单",
  inspection: "现场检查",
  organisation: "单位",
  platform: "平台",
  process_definition: "流程定义",
  process_instance: "流程",
  project: "项目",
  risk_event: "风险事件",
  risk_report: "风险报告",
  task: "任务",
  user: "用户",
};

export function auditSubjectLabel(type: string): string {
  return AUDIT_SUBJECT_LABELS[type] ?? "其他";
}
