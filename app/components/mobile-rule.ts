import type { FormRule } from "antd";
import { normalisePhone, phoneRefusal } from "~/shared/phone";

/**
 * A mainland mobile number in an antd form, judged as the server judges it (`normalisePhone`) and
 * said by the field's own label, as it is typed: an empty field is the `required` rule's to say.
 */
export function mobileRule(label: string): FormRule {
  return {
    validator: (_, value: unknown) =>
      value === undefined || value === null || value === "" || normalisePhone(value)
        ? Promise.resolve()
        : Promise.reject(new Error(phoneRefusal(label, value))),
  };
}
