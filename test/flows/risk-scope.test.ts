import { desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications, riskEvents } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { resetClock, runningFrom, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { projectRisk } from "~/server/risk/project-risk.server";
import { getRiskEvent, listRiskEvents } from "~/server/risk/risk-event-queries.server";
import { riskEventList, riskEventView } from "~/server/risk/risk-views.server";
import { exportList } from "~/server/exports/export-lists.server";
import { urgeRiskEvent } from "~/server/risk/urge-risk-event.server";
import { taskView } from "~/server/flow-views/task-view.server";
import { completeTask, deployBuiltIns } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { shownButUnopenable } from "../support/workflow";
import { riskEventObject } from "~/server/risk/risk-event-object.server";
import { readAttachment } from "~/server/attachments.server";
import {
  inspectedWith,
  insuredProject,
  PINGAN_PARTIES,
  photo,
  riskEventInput,
  staffOf,
  taskAt,
  type InsuredProject,
} from "../support/risk";

// Who sees which risk event: two insured projects with no party in common but the regulator (and
// the contractor's role), each with events raised by its own TIS. PICC leads A with CPIC as
// co-insurer and China Re as reinsurer; Ping An alone insures B.

useTestDatabase();

let a: InsuredProject;
let b: InsuredProject;

/** One inspection with two events, as the project's TIS and insurer do it. */
const withEvents = async (p: InsuredProject, location: string) =>
  inspectedWith(p, [
    riskEventInput({ location, photos: [await photo(p.tis, "现场.png")] }),
    riskEventInput({ level: "critical", rectifierRole: "developer", location }),
  ]);

const eventsOf = async (p: InsuredProject) => db().select().from(riskEvents).where(eq(riskEvents.projectId, p.projectId));

beforeAll(async () => {
  await deployBuiltIns();
  a = await insuredProject("风险范围甲");
  b = await insuredProject("风险范围乙", PINGAN_PARTIES);
  await withEvents(a, "甲区地下室");
  await withEvents(b, "乙区屋面");
}, 60_000);

/** Which of the two projects' events the actor's list shows ("A", "B"), each with both its events. */
async function visible(actor: Actor): Promise<string[]> {
  const seen: string[] = [];
  for (const [label, p] of [
    ["A", a],
    ["B", b],
  ] as const) {
    const { total } = await listRiskEvents(actor, { projectId: p.projectId });
    if (total) {
      expect(total, `${label} shows all its events or none`).toBe(2);
      seen.push(label);
    }
  }
  return seen;
}

describe("who sees which risk event", () => {
  it.each([
    ["the regulator: the city", () => demoActor("regulator"), ["A", "B"]],
    ["the administrator", () => demoActor("admin"), ["A", "B"]],
    ["A's lead insurer", () => demoActor("insurer"), ["A"]],
    ["A's co-insurer", () => demoActor("insurer-cpic"), ["A"]],
    ["B's insurer, none of PICC's", () => demoActor("insurer-pingan"), ["B"]],
    ["the reinsurer: only what it reinsures", () => demoActor("reinsurer"), ["A"]],
    ["A's TIS: only the project it is appointed to", () => demoActor("tis"), ["A"]],
    ["B's TIS", () => staffOf("tis", "tis-at"), ["B"]],
    ["a TIS appointed to neither", () => staffOf("tis", "tis-hx"), []],
    ["A's contractor: only its sites", () => demoActor("contractor"), ["A"]],
    ["B's contractor", () => staffOf("contractor", "con-km3"), ["B"]],
    ["A's developer: its projects", () => demoActor("developer"), ["A"]],
    ["B's developer", () => staffOf("developer", "dev-cc"), ["B"]],
    ["A's supervisor", () => demoActor("supervisor"), ["A"]],
    ["a designer of neither", () => demoActor("designer"), []],
    ["the hotline: none", () => demoActor("hotline"), []],
    ["a repairer: none", () => demoActor("repairer"), []],
  ] as const)("%s", async (_who, actor, expected) => {
    expect(await visible(await actor())).toEqual(expected);
  });

  it("search and filters stay within the scope", async () => {
    const pingan = await demoActor("insurer-pingan");
    expect((await listRiskEvents(pingan, { q: "甲区地下室" })).total).toBe(0);
    expect((await listRiskEvents(pingan, { q: "乙区屋面" })).total).toBe(2);
    expect((await listRiskEvents(a.tis, { tisId: b.tis.organisationId })).total).toBe(0);
    expect((await listRiskEvents(await demoActor("regulator"), { q: "乙区屋面", level: "critical" })).total).toBe(1);
  });

  it("the 风险 page's export selects what the page shows, in the page's words (tis, type, insurer)", async () => {
    const bureau = await demoActor("regulator");
    const exported = async (query: Record<string, string>) => {
      const response = await exportList(bureau, "risk-events", query);
      await response.arrayBuffer();
      return Number(response.headers.get("X-Export-Rows"));
    };
    const [eventOfB] = await eventsOf(b);
    const queries: Record<string, string>[] = [
      { tis: b.tis.organisationId! },
      { insurer: b.insurer.organisationId! },
      { type: eventOfB.category, tis: b.tis.organisationId! },
    ];
    for (const query of queries) {
      const shown = (await riskEventList(bureau, query)).page.total;
      expect([shown, await exported(query)], JSON.stringify(query)).toEqual([2, 2]);
    }
  });

  it("one event outside the scope is not found, whatever the id", async () => {
    const [eventOfB] = await eventsOf(b);
    for (const actor of [a.insurer, a.tis, a.contractor, a.developer, await demoActor("hotline"), await demoActor("reinsurer")])
      await expect(getRiskEvent(actor, eventOfB.id)).rejects.toMatchObject({
        status: 404,
        message: "风险事件不存在，或不在您的查看范围内",
      });
    await expect(getRiskEvent(b.tis, "not-a-uuid")).rejects.toMatchObject({ status: 404 });
    expect((await getRiskEvent(b.contractor, eventOfB.id)).event.location).toBe("乙区屋面");
    expect((await getRiskEvent(await demoActor("regulator"), eventOfB.id.toUpperCase())).project.id).toBe(b.projectId);
  });

  it("a project's risk outside the scope is not found", async () => {
    for (const actor of [b.insurer, b.tis, b.contractor, b.developer])
      await expect(projectRisk(actor, a.projectId)).rejects.toMatchObject({ status: 404, message: "项目不存在，或不在您的查看范围内" });
    expect((await projectRisk(a.tis, a.projectId)).counts.raised).toBe(2);
    expect((await projectRisk(await demoActor("reinsurer"), a.projectId)).counts.raised).toBe(2);
    await expect(projectRisk(await demoActor("reinsurer"), b.projectId)).rejects.toMatchObject({ status: 404 });
  });
});

describe("who may urge and who may rectify", () => {
  it("an insurer outside the project gets 404; a party who sees the event but is no insurer, 403", async () => {
    const [eventOfA] = await eventsOf(a);
    await expect(urgeRiskEvent(b.insurer, eventOfA.id, {})).rejects.toMatchObject({ status: 404 });
    for (const actor of [a.tis, a.contractor, a.developer, a.regulator])
      await expect(urgeRiskEvent(actor, eventOfA.id, {})).rejects.toMatchObject({
        status: 403,
        message: "只有保险公司可以催办风险事件整改",
      });
    expect(await urgeRiskEvent(await demoActor("insurer-cpic"), eventOfA.id, { message: "请尽快整改" })).toBeGreaterThan(0);
  });

  it("the urged party reads the insurer's word in its notice, on the event and on its task; an over-long word is refused", async () => {
    const event = (await eventsOf(a)).find((e) => e.rectifierRole === "contractor")!;
    const rectify = await taskAt(event.instanceId!, "rectify");
    await expect(urgeRiskEvent(a.insurer, event.id, { message: "催".repeat(201) })).rejects.toMatchObject({
      status: 422,
      fields: { message: "催办说明不能超过200个字" },
    });
    expect(await urgeRiskEvent(a.insurer, event.id, { message: "  请于本周五前完成整改  " })).toBeGreaterThan(0);
    const urged = { by: `中国人民财产保险股份有限公司昆明市分公司 ${a.insurer.displayName}`, message: "请于本周五前完成整改" };
    expect((await riskEventView(a.contractor, event.id)).urges[0]).toMatchObject(urged);
    expect((await taskView(a.contractor, rectify.id)).urges[0]).toMatchObject(urged);
    const [notice] = await db()
      .select()
      .from(notifications)
      .where(eq(notifications.userId, a.contractor.userId!))
      .orderBy(desc(notifications.createdAt))
      .limit(1);
    expect([notice.title, notice.body]).toEqual(["催办：风险事件整改", expect.stringContaining("：请于本周五前完成整改")]);
    // The organisation urges once in 30 minutes: a colleague is told who urged, and from when.
    const colleague = { ...a.insurer, userId: crypto.randomUUID() };
    await expect(urgeRiskEvent(colleague, event.id, {})).rejects.toMatchObject({
      message: expect.stringMatching(/^本单位已于 \d{2}:\d{2} 催办过该任务（.+），同一单位30分钟内只催办一次，请于 \d{2}:\d{2} 后再催办$/),
    });
    // Half an hour on, a colleague's urge of nothing but spaces is an urge without a word.
    setClock(runningFrom(new Date(Date.now() + 31 * 60_000)));
    try {
      await urgeRiskEvent(colleague, event.id, { message: "   " });
    } finally {
      resetClock();
    }
    expect((await riskEventView(a.contractor, event.id)).urges[0].message).toBeNull();
  });

  it("the parties of the event's flow open its rectification read-only from the event; others meet 404", async () => {
    const event = (await eventsOf(a)).find((e) => e.rectifierRole === "contractor")!;
    const rectify = await taskAt(event.instanceId!, "rectify");
    for (const party of [a.insurer, a.tis]) {
      expect(await riskEventView(party, event.id)).toMatchObject({ canActOnTask: false, taskVisible: true });
      expect((await taskView(party, rectify.id)).task.name).toBe(rectify.name);
    }
    expect(await riskEventView(a.contractor, event.id)).toMatchObject({ canActOnTask: true, taskVisible: true });
    // The co-insurer sees the event (and urges it from there) but is no party to its flow.
    expect(await riskEventView(await demoActor("insurer-cpic"), event.id)).toMatchObject({ taskVisible: false });
    for (const stranger of [b.insurer, b.tis]) await expect(taskView(stranger, rectify.id)).rejects.toMatchObject({ status: 404 });
  });

  it("another contractor can neither do a rectification nor, once done, do it again", async () => {
    const eventOfA = (await eventsOf(a)).find((e) => e.rectifierRole === "contractor")!;
    const rectify = await taskAt(eventOfA.instanceId!, "rectify");
    const otherContractor = b.contractor;
    const evidence = await photo(a.contractor, "整改后.png");
    const submission = { rectifiedOn: "2026-11-24", measures: "补设止水钢板", photos: [evidence] };
    await expect(completeTask(otherContractor, rectify.id, { submission })).rejects.toMatchObject({ status: 404 });
    await completeTask(a.contractor, rectify.id, { submission });
    await expect(completeTask(otherContractor, rectify.id, { submission })).rejects.toMatchObject({ status: 404 });
    await expect(completeTask(a.contractor, rectify.id, { submission })).rejects.toMatchObject({ status: 409 });
    // The developer of the same project sees the event, but the rectification task is the contractor's.
    await expect(completeTask(a.developer, rectify.id, { submission })).rejects.toMatchObject({ status: 404 });
    expect((await getRiskEvent(a.insurer, eventOfA.id)).event.status).toBe("awaiting_review");
  });

  it("every photo an event's card shows (the inspection's, the rectification's) opens for each who sees the event, and for nobody else", async () => {
    const event = (await eventsOf(a)).find((e) => e.rectifierRole === "contractor")!;
    const readers = ["regulator", "insurer", "insurer-cpic", "reinsurer", "tis", "contractor", "developer", "supervisor"];
    for (const reader of await Promise.all(readers.map(demoActor))) {
      const card = await riskEventObject.summary!(reader, event.id);
      expect(
        card?.sections.flatMap((s) => s.items.filter((i) => i.files).map((i) => i.label)),
        reader.username,
      ).toEqual(["现场照片", "整改后照片"]);
      expect(await shownButUnopenable(reader, card), reader.username).toEqual([]);
    }
    const shown = (await riskEventObject.summary!(a.insurer, event.id))!.sections.flatMap((s) => s.items.flatMap((i) => i.files ?? []));
    for (const outsider of [await demoActor("hotline"), await demoActor("designer"), b.insurer])
      for (const file of shown) await expect(readAttachment(outsider, file.id), outsider.username).rejects.toMatchObject({ status: 404 });
  });
});
