import { Form, Select } from "antd";

/** A coded field's values as select options, named by their Chinese labels. */
export const options = <K extends string>(keys: readonly K[], labels: Record<K, string>) =>
  keys.map((k) => ({ value: k, label: labels[k] }));

/** One filter of a list's search bar: a clearable select named by its placeholder (and for screen readers). */
export function FilterSelect({
  name,
  label,
  width,
  options,
}: {
  name: string;
  label: string;
  width: number;
  options: { value: string; label: string }[];
}) {
  return (
    <Form.Item name={name}>
      <Select placeholder={label} aria-label={label} allowClear style={{ width }} options={options} />
    </Form.Item>
  );
}
