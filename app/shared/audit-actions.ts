// Chinese names of audit actions for the audit log page; unknown actions show their code.
const LABELS: Record<string, string> = {
  "auth.login": "登录",
  "auth.logout": "退出登录",
  "auth.login_failed": "登录失败",
  "auth.account_locked": "账号锁定",
  "auth.login_refused_locked": "锁定期间尝试登录",
  "auth.login_refused_disabled": "停用账号尝试登录",
  "organisation.create": "新增单位",
  "organisation.update": "修改单位",
  "organisation.status": "变更单位状态",
  "user.create": "新增用户",
  "user.update": "修改用户",
  "user.disable": "停用用户",
  "user.enable": "启用用户",
  "user.reset_password": "重置密码",
  "seed.demo_city": "初始化演示数据",
  "api_key.create": "生成接口密钥",
  "api_key.revoke": "停用接口密钥",
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
};

export function auditActionLabel(action: string): string {
  return LABELS[action] ?? action;
}
