import { useSearchParams } from "@remix-run/react";
import Button from "antd/es/button";
import { DatePicker } from "~/components/LazyDatePicker";
import Form from "antd/es/form";
import Select from "antd/es/select";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { DISTRICTS } from "~/shared/districts";
import { PERIOD_KINDS, type PeriodKind, type StatisticsFilters } from "~/shared/statistics";
import { FilterSelect } from "./FilterSelect";
import { RefusedQuery } from "./SearchBar";

const PERIOD_LABELS: Record<PeriodKind, string> = { month: "按月", quarter: "按季", year: "按年", custom: "自定义" };

type Options = { insurers: { id: string; name: string }[]; tis: { id: string; name: string }[] };

/**
 * The dashboards' filters, kept in the URL: the period (a month, quarter or year picked on a
 * calendar, or two days), district, insurer and TIS (only those the viewer may filter by).
 * A refused value is said under its field; a refusal no field shows (an unknown or repeated
 * query key) in an alert above them.
 */
export function StatisticsFilterBar({
  filters,
  options,
  errors,
}: {
  filters: StatisticsFilters | null;
  options: Options;
  errors: Record<string, string>;
}) {
  const [params, setParams] = useSearchParams();
  const [period, setPeriod] = useState<PeriodKind>((filters?.period ?? params.get("period") ?? "year") as PeriodKind);
  const day = (value: string | null | undefined) => (value && dayjs(value).isValid() ? dayjs(value) : undefined);
  const search = (values: {
    period: PeriodKind;
    anchor?: Dayjs;
    range?: [Dayjs, Dayjs];
    district?: string;
    insurer?: string;
    tis?: string;
  }) => {
    const next = new URLSearchParams();
    const tab = params.get("tab");
    if (tab) next.set("tab", tab);
    next.set("period", values.period);
    const [from, to] = values.period === "custom" ? (values.range ?? []) : [values.anchor];
    if (from) next.set("from", from.format("YYYY-MM-DD"));
    if (to) next.set("to", to.format("YYYY-MM-DD"));
    for (const key of ["district", "insurer", "tis"] as const) if (values[key]) next.set(key, values[key]!);
    setParams(next);
  };
  const status = (field: string) => (errors[field] ? { validateStatus: "error" as const, help: errors[field] } : {});
  const shown = ["period", "district", "insurer", "tis", period === "custom" ? (errors.from ? "from" : "to") : "from"];
  const elsewhere = Object.entries(errors).filter(([key]) => !shown.includes(key));
  return (
    <>
      <RefusedQuery refusals={elsewhere} message="查询条件有误" />
      <Form
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={search}
        initialValues={{
          period,
          anchor: day(filters?.from ?? params.get("from")),
          range: filters ? [day(filters.from), day(filters.to)] : undefined,
          district: params.get("district") ?? undefined,
          insurer: params.get("insurer") ?? undefined,
          tis: params.get("tis") ?? undefined,
        }}
      >
        <Form.Item name="period" {...status("period")}>
          <Select
            aria-label="统计周期"
            style={{ width: 100 }}
            onChange={(v: PeriodKind) => setPeriod(v)}
            options={PERIOD_KINDS.map((k) => ({ value: k, label: PERIOD_LABELS[k] }))}
          />
        </Form.Item>
        {period === "custom" ? (
          <Form.Item name="range" {...status(errors.from ? "from" : "to")}>
            <DatePicker.RangePicker aria-label="统计期间" placeholder={["开始日期", "结束日期"]} />
          </Form.Item>
        ) : (
          <Form.Item name="anchor" {...status("from")}>
            <DatePicker picker={period} aria-label="统计期间" placeholder="选择期间" allowClear={false} />
          </Form.Item>
        )}
        <FilterSelect
          name="district"
          label="区县"
          width={140}
          error={errors.district}
          options={DISTRICTS.map((d) => ({ value: d.code, label: d.name }))}
        />
        <FilterSelect
          name="insurer"
          label="保险公司"
          width={240}
          error={errors.insurer}
          options={options.insurers.map((o) => ({ value: o.id, label: o.name }))}
        />
        <FilterSelect
          name="tis"
          label="风险管理机构"
          width={240}
          error={errors.tis}
          options={options.tis.map((o) => ({ value: o.id, label: o.name }))}
        />
        <Button htmlType="submit" type="primary">
          统计
        </Button>
      </Form>
    </>
  );
}
