import { describe, expect, it } from "vitest";
import { chartOption } from "~/components/DashboardChart";
import type { Chart } from "~/shared/statistics";

// A chart of two or more series says which is which (a legend), and series counted in different
// units are read against an axis of their own, named by the unit.

const point = (label: string, value: number) => ({ key: label, label, value });

const failures: Chart = {
  key: "failuresByPart",
  title: "缺陷部位报案与维修费用",
  kind: "bar",
  categoryLabel: "缺陷部位",
  series: [
    { name: "报案数", unit: "件", points: [point("防水", 9), point("保温", 5)] },
    { name: "维修费用（已结案）", unit: "元", points: [point("防水", 36400), point("保温", 25600)] },
  ],
};

type Axis = { name: string; position: string };
type Series = { name: string; yAxisIndex: number; tooltip: { valueFormatter: (v: unknown) => string } };

describe("a dashboard chart's option", () => {
  it("gives series of two units a legend and an axis each, named by its unit", () => {
    const option = chartOption(failures);
    expect(option.legend).toBeDefined();
    expect((option.yAxis as Axis[]).map((a) => [a.name, a.position])).toEqual([
      ["件", "left"],
      ["元", "right"],
    ]);
    const series = option.series as Series[];
    expect(series.map((s) => [s.name, s.yAxisIndex])).toEqual([
      ["报案数", 0],
      ["维修费用（已结案）", 1],
    ]);
    // Each series' value in its own unit: money with its fen, counts whole.
    expect(series.map((s) => s.tooltip.valueFormatter(36400))).toEqual(["36,400 件", "36,400.00 元"]);
  });

  it("draws series of one unit on one named axis, with a legend when there are several", () => {
    const late: Chart = {
      ...failures,
      series: [
        { name: "受理超过24小时", unit: "%", points: [point("太平洋", 16)] },
        { name: "查勘超过2日", unit: "%", points: [point("太平洋", 5.56)] },
      ],
    };
    expect(chartOption(late).legend).toBeDefined();
    expect((chartOption(late).yAxis as Axis[]).map((a) => a.name)).toEqual(["%"]);
  });

  it("leaves a one-series chart without a legend", () => {
    const one: Chart = { ...failures, series: [failures.series[0]] };
    expect(chartOption(one).legend).toBeUndefined();
    expect((chartOption(one).yAxis as Axis[]).map((a) => a.name)).toEqual(["件"]);
  });
});
