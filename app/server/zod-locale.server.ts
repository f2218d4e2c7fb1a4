import { z } from "zod";

// zod's messages in Chinese, set once for the whole server (the app's entry and the test setup call
// it). zod 4 ships a Simplified Chinese locale; the commonest cases get plainer sentences here, the
// rest fall back to that locale, and schemas' own hand-written messages always win.

type Issue = Parameters<NonNullable<z.core.$ZodConfig["localeError"]>>[0];

const TYPE_LABELS: Record<string, string> = {
  string: "文字",
  number: "数字",
  int: "整数",
  boolean: "是或否",
  object: "对象",
  record: "对象",
  array: "列表",
  date: "日期",
};

const FORMAT_LABELS: Record<string, string> = {
  uuid: "标识格式不正确",
  email: "邮箱格式不正确",
  url: "网址格式不正确",
  date: "日期格式不正确（年-月-日）",
  datetime: "时间格式不正确",
  regex: "格式不正确",
};

function plainMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "请填写此项";
      return `应为${TYPE_LABELS[issue.expected] ?? issue.expected}`;
    case "too_big":
      if (issue.origin === "string") return `不能超过${issue.maximum}个字`;
      if (issue.origin === "array" || issue.origin === "set") return `最多${issue.maximum}项`;
      if (issue.origin === "number" || issue.origin === "bigint") return `不能${issue.inclusive ? "大于" : "大于或等于"}${issue.maximum}`;
      return undefined;
    case "too_small":
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? "请填写此项" : `至少${issue.minimum}个字`;
      if (issue.origin === "array" || issue.origin === "set") return `至少${issue.minimum}项`;
      if (issue.origin === "number" || issue.origin === "bigint") return `不能${issue.inclusive ? "小于" : "小于或等于"}${issue.minimum}`;
      return undefined;
    case "invalid_format":
      return FORMAT_LABELS[issue.format] ?? "格式不正确";
    case "invalid_value":
      return "不是可选的值";
    case "unrecognized_keys":
      return `不允许的字段：${issue.keys.join("、")}`;
    default:
      return undefined;
  }
}

let configured = false;

export function configureZodMessages(): void {
  if (configured) return;
  configured = true;
  const chinese = z.locales.zhCN().localeError!;
  z.config({ localeError: (issue) => plainMessage(issue as Issue) ?? chinese(issue) });
}
