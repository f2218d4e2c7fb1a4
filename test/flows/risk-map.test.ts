import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { organisations, riskEvents } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { clock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { riskMapData, riskMapFilters } from "~/server/statistics/map.server";
import { deployBuiltIns } from "~/server/workflow/index.server";
import { markerOf, type DistrictRisk, type RiskMap } from "~/shared/risk-map";
import { formatDateTime } from "~/shared/time";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { complete, inspectedWith, insuredProject, PINGAN_PARTIES, photo, riskEventInput, type InsuredProject } from "../support/risk";
import { demoCreditCode } from "../support/workflow";

// The risk map's figures on a small city, computed by hand:
//   A 西山区 (102.66, 24.995), PICC leading with CPIC: 一般 ×2 (one rectified, 待复核), 重大, 较大 (closed)
//     → 3 open events, worst 重大, severe
//   B 西山区 (102.665, 24.99), Ping An alone: 较大 → 1 open, worst 较大
//   C 五华区 (102.70, 25.0575), PICC leading with CPIC: no inspection yet → 0 open
//   D 高新区 without coordinates, Ping An alone: 一般 → 1 open; counted, not drawn
// The bureau: 西山区 2 projects, 4 open, 1 severe (2.00 per project, 50.00 %); 五华区 1, 0 (0.00, 0.00 %);
// 高新区 1, 1 (1.00, 0.00 %); the city 4 projects, 5 open, 1 severe (1.25, 25.00 %).
// PICC (lead of A and C): 西山区 1, 3, 1 (3.00, 100.00 %); 五华区 1, 0; the city 2, 3, 1 (1.50, 50.00 %).

useTestDatabase();

let a: InsuredProject;
let b: InsuredProject;
let c: InsuredProject;
let d: InsuredProject;
let regulator: Actor;
let picc: Actor;

const orgName = async (key: string) =>
  (
    await db()
      .select({ name: organisations.name })
      .from(organisations)
      .where(eq(organisations.creditCode, demoCreditCode(key)))
  )[0].name;

beforeAll(async () => {
  await deployBuiltIns();
  a = await insuredProject("地图甲", undefined, { district: "530112", longitude: 102.66, latitude: 24.995 });
  b = await insuredProject("地图乙", PINGAN_PARTIES, { district: "530112", longitude: 102.665, latitude: 24.99 });
  c = await insuredProject("地图丙", undefined, { district: "530102", longitude: 102.7, latitude: 25.0575 });
  d = await insuredProject("地图丁", PINGAN_PARTIES, { district: "530171", longitude: undefined, latitude: undefined });
  const [, rectified, , closed] = await inspectedWith(a, [
    riskEventInput({ level: "general" }),
    riskEventInput({ level: "general" }),
    riskEventInput({ level: "critical" }),
    riskEventInput({ level: "major" }),
  ]);
  for (const event of [rectified, closed])
    await complete(a.contractor, event.instanceId!, "rectify", {
      rectifiedOn: "2026-11-24",
      measures: "补设止水钢板",
      photos: [await photo(a.contractor, "整改后.png")],
    });
  await complete(a.tis, closed.instanceId!, "verify", { decision: "close" });
  await inspectedWith(b, [riskEventInput({ level: "major" })]);
  await inspectedWith(d, [riskEventInput({ level: "general" })]);
  regulator = await demoActor("regulator");
  picc = await demoActor("insurer");
}, 180_000);

const district = (map: RiskMap, code: string) => map.districts.find((x) => x.code === code)!;
const figures = (x: Omit<DistrictRisk, "code" | "name">) => [x.projects, x.openEvents, x.severeProjects, x.eventsPerProject, x.severeShare];

describe("the bureau's risk map", () => {
  let map: RiskMap;
  beforeAll(async () => {
    map = await riskMapData(regulator, {});
  });

  it("holds the events as their flows left them: one closed, one awaiting review", async () => {
    const statuses = (await db().select({ status: riskEvents.status }).from(riskEvents).where(eq(riskEvents.projectId, a.projectId)))
      .map((e) => e.status)
      .sort();
    expect(statuses).toEqual(["awaiting_review", "closed", "open", "open"]);
  });

  it("colours each district by its open events per project and its share of projects with a 重大 open event", () => {
    expect(figures(district(map, "530112"))).toEqual([2, 4, 1, 2, 50]);
    expect(figures(district(map, "530102"))).toEqual([1, 0, 0, 0, 0]);
    expect(figures(district(map, "530171"))).toEqual([1, 1, 0, 1, 0]);
    expect(figures(district(map, "530111"))).toEqual([0, 0, 0, null, null]);
    expect(map.districts.map((x) => x.name)).toContain("滇池度假区");
    expect(figures(map.total)).toEqual([4, 5, 1, 1.25, 25]);
  });

  it("draws the projects with a position, the riskiest first, each with what its popup says", async () => {
    const markers = map.markers.map((m) => markerOf(m, map.names));
    expect(markers.map((m) => m.id)).toEqual([a.projectId, b.projectId, c.projectId]);
    expect(markers[0]).toEqual({
      id: a.projectId,
      longitude: 102.66,
      latitude: 24.995,
      level: "critical",
      openEvents: 3,
      name: expect.stringMatching(/^地图甲\d+$/),
      insurer: await orgName("picc"),
      tis: await orgName("tis-yjk"),
      stage: "construction",
    });
    expect(markers.slice(1).map((m) => [m.level, m.openEvents, m.insurer, m.tis])).toEqual([
      ["major", 1, await orgName("pingan"), await orgName("tis-at")],
      ["none", 0, await orgName("picc"), await orgName("tis-yjk")],
    ]);
  });

  it("says how many projects it cannot draw for want of coordinates", () => {
    expect([map.located, map.unlocated]).toEqual([3, 1]);
  });

  it("narrows to a district, an insurer (as lead or co-insurer) or a TIS", async () => {
    const cpic = (await demoActor("insurer-cpic")).organisationId!;
    const tisAt = (
      await db()
        .select({ id: organisations.id })
        .from(organisations)
        .where(eq(organisations.creditCode, demoCreditCode("tis-at")))
    )[0].id;
    const inXishan = await riskMapData(regulator, { district: "530112" });
    expect(figures(inXishan.total)).toEqual([2, 4, 1, 2, 50]);
    expect(figures(district(inXishan, "530102"))).toEqual([0, 0, 0, null, null]);
    const coinsured = await riskMapData(regulator, { insurerId: cpic });
    expect([figures(coinsured.total), coinsured.markers.map((m) => m[0])]).toEqual([
      [2, 3, 1, 1.5, 50],
      [a.projectId, c.projectId],
    ]);
    const byTis = await riskMapData(regulator, { tisId: tisAt });
    expect([figures(byTis.total), byTis.unlocated]).toEqual([[2, 2, 0, 1, 0], 1]);
  });

  it("counts the open events raised in a chosen period only", async () => {
    const today = formatDateTime(clock.now(), "YYYY-MM-DD");
    const now = await riskMapData(regulator, { period: "custom", from: today, to: today });
    expect(figures(now.total)).toEqual([4, 5, 1, 1.25, 25]);
    const before = await riskMapData(regulator, { period: "year", from: "2020-01-01", to: "2020-12-31" });
    expect(figures(before.total)).toEqual([4, 0, 0, 0, 0]);
    expect(before.markers.map((m) => markerOf(m, before.names).level)).toEqual(["none", "none", "none"]);
  });
});

describe("an insurer's risk map", () => {
  it("computes only the projects it insures", async () => {
    const map = await riskMapData(picc, {});
    expect(figures(district(map, "530112"))).toEqual([1, 3, 1, 3, 100]);
    expect(figures(district(map, "530102"))).toEqual([1, 0, 0, 0, 0]);
    expect(figures(district(map, "530171"))).toEqual([0, 0, 0, null, null]);
    expect(figures(map.total)).toEqual([2, 3, 1, 1.5, 50]);
    expect(map.markers.map((m) => m[0])).toEqual([a.projectId, c.projectId]);
    expect(map.names).not.toContain(await orgName("pingan"));
    expect([map.located, map.unlocated]).toEqual([2, 0]);
  });

  it("may not filter by an insurer it shares no project with (404), nor send a bad period (422 in Chinese)", async () => {
    const pingan = (await demoActor("insurer-pingan")).organisationId!;
    await expect(riskMapFilters(picc, { insurer: pingan })).rejects.toMatchObject({ status: 404 });
    await expect(riskMapFilters(picc, { period: "week" })).rejects.toMatchObject({
      status: 422,
      fields: { period: expect.stringContaining("统计周期") },
    });
    expect(await riskMapFilters(picc, { district: "530112" })).toEqual({ district: "530112" });
  });
});
