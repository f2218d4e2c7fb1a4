import { DatePicker } from "~/components/LazyDatePicker";
import { FilterItem } from "./SearchBar";
import dayjs from "dayjs";

const DAY = "YYYY-MM-DD";

/**
 * A list filter's date, kept in the URL as 2026-03-01: antd's picker in Chinese, where the browser's
 * own date input would speak the browser's language (mm/dd/yyyy in an English one). A Form.Item
 * child: it takes and gives the day as text.
 */
export function DateFilter({ label, value, onChange }: { label: string; value?: string; onChange?: (day: string | undefined) => void }) {
  const day = value && dayjs(value, DAY, true).isValid() ? dayjs(value, DAY) : null;
  return (
    <DatePicker
      aria-label={label}
      placeholder={label}
      format={DAY}
      value={day}
      onChange={(d) => onChange?.(d ? d.format(DAY) : undefined)}
      style={{ width: 150 }}
    />
  );
}

/** A list's from/to pair (`from`, `to` in the URL), each named for screen readers and as its prompt. */
export function DateRangeFilters({ fromLabel = "开始日期", toLabel = "结束日期" }: { fromLabel?: string; toLabel?: string }) {
  return (
    <>
      <FilterItem name="from">
        <DateFilter label={fromLabel} />
      </FilterItem>
      <FilterItem name="to">
        <DateFilter label={toLabel} />
      </FilterItem>
    </>
  );
}
