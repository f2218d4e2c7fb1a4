import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RiskEvent } from "@db/schema";
import { resetClock, runningFrom, setClock } from "~/server/clock.server";
import { bureauAlerts, type AlertKind } from "~/server/statistics/alerts.server";
import { urgeTask } from "~/server/tasks/urge.server";
import { deployBuiltIns } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { alertLinkMismatches, listTotal } from "../support/statistics";
import {
  complete,
  inspectedWith,
  inspectionSubmission,
  insuredProject,
  photo,
  PINGAN_PARTIES,
  riskEventInput,
  type InsuredProject,
} from "../support/risk";

// 预警 on the regulator's home, on a moved clock: each line comes when its fact becomes true and
// goes when it ends. Two sites inspected on 2026-11-20: PICC's (TIS 云南建科) with a 重大 event due
// 2026-12-10, Ping An's (TIS 安泰) with a 较大 one due the same day and a 一般 one due in March.

useTestDatabase();

const at = (iso: string) => setClock(runningFrom(new Date(iso)));
let picc: InsuredProject;
let pingan: InsuredProject;
let severe: RiskEvent;
let major: RiskEvent;

async function group(kind: AlertKind) {
  const alerts = (await bureauAlerts(await demoActor("regulator")))!;
  return alerts.groups.find((g) => g.kind === kind)!;
}

const lines = async (kind: AlertKind) => (await group(kind)).lines;

async function rectified(p: InsuredProject, event: RiskEvent, on: string) {
  const evidence = await photo(p.contractor, "整改后.png");
  await complete(p.contractor, event.instanceId!, "rectify", { rectifiedOn: on, measures: "补设止水钢板", photos: [evidence] });
  await complete(p.tis, event.instanceId!, "verify", { decision: "close" });
}

beforeAll(async () => {
  at("2026-12-01T02:00:00Z");
  await deployBuiltIns();
  picc = await insuredProject("预警甲");
  pingan = await insuredProject("预警乙", PINGAN_PARTIES);
  [severe] = await inspectedWith(picc, [riskEventInput({ level: "critical", deadline: "2026-12-10" })], { inspectedOn: "2026-11-20" });
  [major] = await inspectedWith(
    pingan,
    [riskEventInput({ level: "major", deadline: "2026-12-10" }), riskEventInput({ level: "general", deadline: "2027-03-10" })],
    { inspectedOn: "2026-11-20" },
  );
}, 120_000);

afterAll(resetClock);

describe("预警", () => {
  it("lists a 重大 event once its deadline has passed, with whoever must put it right to urge, until it is closed", async () => {
    expect(await lines("riskOverdue")).toEqual([]);
    at("2026-12-11T02:00:00Z");
    const [line] = await lines("riskOverdue");
    expect(line).toMatchObject({
      link: `/risk/events/${severe.id}`,
      step: { name: "风险事件整改", party: picc.contractor.organisationName, urgedAt: null },
    });
    expect(line.text).toMatch(/^FX\d{6} 预警甲\d+：防水重大风险，整改期限 2026-12-10$/);
    // The bureau urges from the line: the rectifier is told, and the line says it was urged.
    expect(await urgeTask(await demoActor("regulator"), line.step!.id, {})).toBeGreaterThan(0);
    expect((await lines("riskOverdue"))[0].step!.urgedAt).not.toBeNull();
    // Both events are due and open: every TIS at the city's 0 %, nobody below it.
    expect(await lines("tisRectification")).toEqual([]);
    await rectified(picc, severe, "2026-12-11");
    expect(await lines("riskOverdue")).toEqual([]);
  });

  it("lists a TIS whose rectification rate falls below the city's by the margin, until it catches up", async () => {
    expect((await lines("tisRectification")).map((l) => l.text)).toEqual([
      `${pingan.tis.organisationName}：整改率 0.00%（全市 50.00%），近12个月到期的风险事件 1 项，已销项 0 项`,
    ]);
    // It opens the events its rate is over: the TIS's, due in the last twelve months, none cancelled
    // (not its whole list, which holds the event due in March too).
    const [line] = await lines("tisRectification");
    expect(line).toMatchObject({
      link: `/risk?tis=${pingan.tis.organisationId}&cancelled=false&dueFrom=2025-12-11&dueTo=2026-12-10`,
      step: null,
    });
    const regulator = await demoActor("regulator");
    expect(await alertLinkMismatches((await bureauAlerts(regulator))!, listTotal(regulator))).toEqual([]);
    expect(await listTotal(regulator)(`/risk?tis=${pingan.tis.organisationId}`)).toBe(2);
    await rectified(pingan, major, "2026-12-11");
    expect(await lines("tisRectification")).toEqual([]);
  });

  it("lists a site under construction with no inspection for 60 days, with the TIS's inspection to urge, until it is inspected", async () => {
    at("2027-01-18T02:00:00Z");
    // Nothing to list: no line, and no link to a list.
    const none = await group("noInspection");
    expect([none.total, none.lines, none.more]).toEqual([0, [], undefined]);
    at("2027-01-19T02:00:00Z");
    expect((await group("noInspection")).more).toBe("/projects?stage=construction&uninspected=1");
    const found = await lines("noInspection");
    expect(found.map((l) => l.link).sort()).toEqual([`/projects/${picc.projectId}`, `/projects/${pingan.projectId}`].sort());
    expect(found.find((l) => l.link.endsWith(picc.projectId))).toMatchObject({
      text: expect.stringContaining("最近一次现场检查 2026-11-20"),
      step: { name: "现场风险检查", party: picc.tis.organisationName },
    });
    await complete(picc.tis, picc.riskFlowId, "inspection", inspectionSubmission([], { inspectedOn: "2027-01-19" }));
    expect((await lines("noInspection")).map((l) => l.link)).toEqual([`/projects/${pingan.projectId}`]);
  });

  it("is the regulator's only", async () => {
    expect(await bureauAlerts(await demoActor("insurer"))).toBeNull();
    expect(await bureauAlerts(await demoActor("tis"))).toBeNull();
  });
});
