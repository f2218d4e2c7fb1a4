import { textLength, tooLongMessage } from "~/shared/field-rules";

/**
 * A text of at most `max` characters in an antd form: the rule for its Form.Item (the server's
 * message, shown as one types) and the count its input shows. Nothing is cut: the browser's own
 * maxlength would shorten a pasted text without a word.
 */
export function textLimit(label: string, max: number) {
  return {
    rule: { max, message: tooLongMessage(label, max) },
    count: { show: true, max, strategy: textLength },
  };
}
