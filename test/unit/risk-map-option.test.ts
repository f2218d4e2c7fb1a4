import { describe, expect, it } from "vitest";
import { mapOption } from "~/components/RiskMapChart";
import type { RiskMapMarker } from "~/shared/risk-map";

// Where projects share a spot in the city centre, the marker drawn last is the one seen.

describe("the risk map's markers", () => {
  it("are drawn the worst last, on top of greener ones at the same spot", () => {
    // As the server sends them: the riskiest first (重大 3, then 较大 2, then none 0).
    const markers: RiskMapMarker[] = [
      ["p-critical", 102.7, 25.04, 3, 31, "滇池花园", -1, -1, "construction"],
      ["p-major", 102.7, 25.04, 2, 4, "春城名苑", -1, -1, "construction"],
      ["p-none", 102.7, 25.04, 0, 0, "西山悦府", -1, -1, "construction"],
    ];
    const option = mapOption([], markers, [], "eventsPerProject");
    const series = option.series as { type: string; data: { projectId: string }[] }[];
    const scatter = series.find((s) => s.type === "scatter")!;
    expect(scatter.data.map((d) => d.projectId)).toEqual(["p-none", "p-major", "p-critical"]);
  });
});
