import { DatePicker } from "@formily/antd-v5";
import type { ComponentProps, FocusEvent, KeyboardEvent } from "react";
import { isCalendarDate, todayHere } from "~/shared/time";
import { withNamedIcons } from "./ui/picker-icons";

type FormilyDatePickerProps = ComponentProps<typeof DatePicker>;

export interface DayPickerProps extends Omit<FormilyDatePickerProps, "onChange" | "value"> {
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** The first day the field's rules allow (a fact of the flow it may not come before), YYYY-MM-DD. */
  earliest?: string;
  /** The field's date must have happened: no day after today (Kunming) is offered. */
  pastOnly?: boolean;
}

/**
 * A form's date field: the calendar offers only the days the field's rules allow (not before the
 * report, not after today), and a date typed outside them is kept, so that the field says why it
 * cannot be sent, instead of the picker dropping it without a word.
 */
export function DayPicker({ earliest, pastOnly, value, onChange, onBlur, onKeyDown, ...props }: DayPickerProps) {
  const outside = (day: { format(template: string): string }) => {
    const text = day.format("YYYY-MM-DD");
    return (!!earliest && text < earliest) || (!!pastOnly && text > todayHere());
  };
  // What is typed in full is the value, allowed or not; the picker itself takes only what it offers.
  const keepTyped = (input: EventTarget) => {
    const typed = (input as HTMLInputElement).value?.trim();
    if (isCalendarDate(typed) && typed !== value) onChange?.(typed);
  };
  return (
    <DatePicker
      {...withNamedIcons(props as FormilyDatePickerProps)}
      value={value as never}
      onChange={onChange as never}
      disabledDate={outside}
      onKeyDown={(event: KeyboardEvent<HTMLElement>, preventDefault: () => void) => {
        if (event.key === "Enter") keepTyped(event.target);
        onKeyDown?.(event, preventDefault);
      }}
      onBlur={(event: FocusEvent<HTMLElement>, info: Parameters<NonNullable<FormilyDatePickerProps["onBlur"]>>[1]) => {
        keepTyped(event.target);
        onBlur?.(event, info);
      }}
    />
  );
}

type FormilyRangePickerProps = ComponentProps<typeof DatePicker.RangePicker>;

/** A form's date range, its icons named as the date field's. */
function DayRangePicker(props: FormilyRangePickerProps) {
  return <DatePicker.RangePicker {...withNamedIcons(props, true)} />;
}

export const FormDayPicker = Object.assign(DayPicker, { RangePicker: DayRangePicker });
