import Input from "antd/es/input";
import { Typography } from "~/components/ui/Typography";
import type { TextAreaProps } from "antd/es/input";
import { textLength } from "~/shared/field-rules";
import { textLimit } from "./text-limit";

/**
 * A text area outside a form (a comment, 办理意见) holding at most `max` characters: it counts
 * them, and past the limit says so under it in the server's words (`label` names the text there),
 * as does `error`, the server's word on it. Nothing is cut.
 */
export function LimitedTextArea({
  label,
  max,
  value,
  onChange,
  error,
  ...rest
}: Omit<TextAreaProps, "value" | "onChange" | "count"> & {
  label: string;
  max: number;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const limit = textLimit(label, max);
  const shown = textLength(value) > max ? limit.rule.message : error;
  return (
    <>
      <Input.TextArea
        {...rest}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        count={limit.count}
        status={shown ? "error" : undefined}
      />
      {shown ? <Typography.Text type="danger">{shown}</Typography.Text> : null}
    </>
  );
}

/** Whether a text is over its limit (a LimitedTextArea then refuses to have it sent). */
export const overLimit = (value: string, max: number) => textLength(value) > max;
