import Form from "antd/es/form";
import Select from "antd/es/select";
import { useRefusal } from "./SearchBar";
import { organisationNameMatches } from "~/shared/insurer-short-names";

/** What every select says before anything is chosen: 请选择区县, 请选择缺陷部位. */
export const choosePrompt = (what: string) => `请选择${what}`;

/** A select's filter for options that are organisations: by name, insurers by their short names too (太保). */
export const organisationOptionMatches = (input: string, option?: { label?: unknown }) =>
  organisationNameMatches(String(option?.label ?? ""), input);

/** A coded field's values as select options, named by their Chinese labels. */
export const options = <K extends string>(keys: readonly K[], labels: Record<K, string>) =>
  keys.map((k) => ({ value: k, label: labels[k] }));

/** The width (px) a select needs to show `text` whole: 14 px a character, and its padding and arrow. */
const fitting = (text: string) => [...text].length * 14 + 44;

/** One filter of a list's search bar: a clearable select that asks for what it filters by (and is named so for screen readers). */
export function FilterSelect({
  name,
  label,
  width,
  options,
  error,
}: {
  name: string;
  label: string;
  width: number;
  options: { value: string; label: string }[];
  /** The server's refusal of the value in the URL, said under the field. */
  error?: string;
}) {
  const prompt = choosePrompt(label);
  const refusal = useRefusal(name);
  return (
    <Form.Item name={name} {...(error ? { validateStatus: "error" as const, help: error } : refusal)}>
      <Select placeholder={prompt} aria-label={label} allowClear style={{ width: Math.max(width, fitting(prompt)) }} options={options} />
    </Form.Item>
  );
}
