import type AntdDatePicker from "antd/es/date-picker";
import type { DatePickerProps, RangePickerProps } from "antd/es/date-picker";
import type { Dayjs } from "dayjs";
import { useEffect, useState, type ComponentType } from "react";
import { useAntdClass } from "./ui/antd-class";
import { PICKER_SUFFIX, RANGE_SEPARATOR, withNamedIcons } from "./ui/picker-icons";

// antd's date pickers, loaded after the page (their calendars weigh a list page's first load twice
// over: decision 042). Until then, and on the server, the field is drawn as antd draws it, with
// its value; it loads once the page is idle, or at once when the field is clicked or focused, and
// then opens where the user clicked.

type Picker = typeof AntdDatePicker;
let loaded: Picker | null = null;
let loading: Promise<Picker> | null = null;
const load = () => (loading ??= import("antd/es/date-picker").then((m) => (loaded = m.default)));

const FORMATS: Record<string, string> = { date: "YYYY-MM-DD", month: "YYYY-MM", quarter: "YYYY-[Q]Q", year: "YYYY", week: "YYYY-wo" };

/** The picker once loaded; `opened` when the user asked for it (clicked, focused) before. */
function usePicker(): [Picker | null, boolean, () => void] {
  const [picker, setPicker] = useState<Picker | null>(() => loaded);
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    if (picker) return;
    let gone = false;
    const later = window.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 200));
    later(() => void load().then((p) => !gone && setPicker(() => p)));
    return () => {
      gone = true;
    };
  }, [picker]);
  const ask = () => {
    setOpened(true);
    void load().then((p) => setPicker(() => p));
  };
  return [picker, opened, ask];
}

const text = (day: Dayjs | null | undefined, format: string) => (day && typeof day.format === "function" ? day.format(format) : "");

function Waiting({
  className,
  style,
  inputs,
  onAsk,
  range,
}: {
  className?: string;
  style?: DatePickerProps["style"];
  inputs: { label?: string; placeholder?: string; value: string }[];
  onAsk: () => void;
  range?: boolean;
}) {
  const root = useAntdClass("ant-picker", range && "ant-picker-range", "ant-picker-outlined", className);
  const field = (input: (typeof inputs)[number], i: number) => (
    <div className="ant-picker-input" key={i}>
      <input
        autoComplete="off"
        aria-label={input.label}
        size={12}
        placeholder={input.placeholder}
        value={input.value}
        readOnly
        onFocus={onAsk}
        onMouseDown={onAsk}
      />
      {range ? null : <span className="ant-picker-suffix">{PICKER_SUFFIX}</span>}
    </div>
  );
  return (
    <div className={root} style={style}>
      {range ? (
        <>
          {field(inputs[0], 0)}
          <div className="ant-picker-range-separator">{RANGE_SEPARATOR}</div>
          {field(inputs[1], 1)}
          <span className="ant-picker-suffix">{PICKER_SUFFIX}</span>
        </>
      ) : (
        field(inputs[0], 0)
      )}
    </div>
  );
}

function LazyRangePicker(props: RangePickerProps) {
  const [Picker, opened, ask] = usePicker();
  if (Picker) {
    const Range = Picker.RangePicker as ComponentType<RangePickerProps>;
    return (
      <Range
        {...withNamedIcons(props, true)}
        autoFocus={opened || props.autoFocus}
        defaultOpen={opened || undefined}
      />
    );
  }
  const format = typeof props.format === "string" ? props.format : FORMATS[props.picker ?? "date"];
  const [start, end] = props.value ?? [];
  const [from, to] = Array.isArray(props.placeholder) ? props.placeholder : [];
  const label = props["aria-label" as keyof RangePickerProps] as string | undefined;
  return (
    <Waiting
      range
      className={props.className}
      style={props.style}
      onAsk={ask}
      inputs={[
        { label, placeholder: from, value: text(start, format) },
        { label, placeholder: to, value: text(end, format) },
      ]}
    />
  );
}

function LazyDatePicker(props: DatePickerProps) {
  const [Picker, opened, ask] = usePicker();
  if (Picker)
    return (
      <Picker
        {...withNamedIcons(props)}
        autoFocus={opened || props.autoFocus}
        defaultOpen={opened || undefined}
      />
    );
  const format = typeof props.format === "string" ? props.format : FORMATS[props.picker ?? "date"];
  const label = props["aria-label" as keyof DatePickerProps] as string | undefined;
  return (
    <Waiting
      className={props.className}
      style={props.style}
      onAsk={ask}
      inputs={[{ label, placeholder: props.placeholder, value: text(props.value as Dayjs | null | undefined, format) }]}
    />
  );
}

/** antd's DatePicker (and DatePicker.RangePicker), loaded after the page. */
export const DatePicker = Object.assign(LazyDatePicker, { RangePicker: LazyRangePicker });
