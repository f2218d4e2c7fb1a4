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

describe("a dashboard chart on a narrow screen and on paper", () => {
  const PICC = "中国人民财产保险股份有限公司昆明市分公司";
  const PINGAN = "中国平安财产保险股份有限公司云南分公司";
  const share: Chart = {
    key: "premiumByInsurer",
    title: "各保险公司保费",
    kind: "pie",
    categoryLabel: "保险公司",
    series: [{ name: "保费", unit: "元", points: [point(PICC, 900000), point(PINGAN, 510000)] }],
  };
  type Pie = { label: { show?: boolean; formatter?: (p: { name: string }) => string } };
  type Legend = { type: string; formatter: (name: string) => string };

  it("names insurers by their short names, lists a few legend entries without a pager, and prints no slice label", () => {
    const screen = chartOption(share);
    expect((screen.legend as Legend).type).toBe("plain");
    expect((screen.legend as Legend).formatter(PICC)).toBe("人保");
    expect((screen.series as Pie[])[0].label.formatter!({ name: PINGAN })).toBe("平安产险");
    const paper = chartOption(share, { print: true });
    expect((paper.series as Pie[])[0].label.show).toBe(false);
    expect((paper.legend as Legend).type).toBe("plain");
  });

  it("keeps two branches of one insurer by their full names", () => {
    const branches = {
      ...share,
      series: [{ ...share.series[0], points: [point(PICC, 1), point("中国人民财产保险股份有限公司云南省分公司", 2)] }],
    };
    expect((chartOption(branches).legend as Legend).formatter(PICC)).toBe(PICC);
  });

  it("labels money bars in 万, hides overlapping labels, and leaves room on the right for a third axis", () => {
    const quality: Chart = {
      ...failures,
      series: [...failures.series, { name: "平均维修时长", unit: "天", points: [point("防水", 6.5)] }],
    };
    const grid = (c: Chart) => chartOption(c).grid as { right: number };
    expect(grid(quality).right - grid(failures).right).toBe(56);
    type Bar = { label: { formatter: (p: { value: unknown }) => string }; labelLayout: { hideOverlap: boolean } };
    const bars = chartOption(failures).series as Bar[];
    expect(bars.map((s) => s.label.formatter({ value: 36400 }))).toEqual(["36,400", "3.6万"]);
    expect(bars.every((s) => s.labelLayout.hideOverlap)).toBe(true);
  });
});
