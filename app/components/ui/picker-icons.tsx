import CalendarOutlined from "@ant-design/icons/es/icons/CalendarOutlined";
import SwapRightOutlined from "@ant-design/icons/es/icons/SwapRightOutlined";
import type { DatePickerProps } from "antd/es/date-picker";
import type { ReactNode } from "react";
import { CLEARABLE } from "./clearable";

// What antd's date pickers draw beside their text, named for a screen reader in Chinese: antd's own
// icons name themselves ("calendar", "close-circle") and its range's arrow says "to". Both the list
// pages' lazy pickers (LazyDatePicker) and the forms' date field (DayPicker) draw these.

/** The calendar sign at the end of the field: decoration, the field has its own label. */
export const PICKER_SUFFIX = <CalendarOutlined aria-hidden />;

/** Between a range's two dates. */
export const RANGE_SEPARATOR = (
  <span aria-label="至" className="ant-picker-separator">
    <SwapRightOutlined aria-hidden />
  </span>
);

/** The field's ✕, named 清除, unless the field may not be cleared. */
const pickerClear = (allowClear: DatePickerProps["allowClear"]) => (allowClear === false ? false : CLEARABLE);

type PickerIcons = { allowClear?: DatePickerProps["allowClear"]; suffixIcon?: ReactNode; separator?: ReactNode };

/** A picker's props with the icons above (a range's with its 至): a suffix or separator given keeps its own. */
export function withNamedIcons<P extends PickerIcons>(props: P, range = false): P {
  return {
    suffixIcon: PICKER_SUFFIX,
    ...(range ? { separator: RANGE_SEPARATOR } : {}),
    ...props,
    allowClear: pickerClear(props.allowClear),
  };
}
