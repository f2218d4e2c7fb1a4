import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { inspections, projects, riskEvents } from "@db/schema";
import type { Tx } from "@db/client";
import { clock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { recordInspection, recordReinspection } from "~/server/risk/risk-reports.server";
import { deployBuiltIns } from "~/server/workflow/index.server";
import { formatDateTime, shiftDay } from "~/shared/time";
import { useTestDatabase } from "../support/database";
import {
  complete,
  insuredProject,
  inspectionSubmission,
  photo,
  planSubmission,
  riskEventInput,
  taskAt,
  type InsuredProject,
} from "../support/risk";

// What the risk steps refuse, each with a field message and nothing changed (found attacking the
// module): blank text, days that have not come, too many or repeated files, completion dates that
// would move the re-inspection where nobody expects it.

useTestDatabase();
beforeAll(() => deployBuiltIns());

let p: InsuredProject;
const eventsOf = async () => db().select().from(riskEvents).where(eq(riskEvents.projectId, p.projectId));
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ fields: {} }),
    (e: { status: number; fields: Record<string, string> }) => e,
  );
const tomorrow = () => new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  p = await insuredProject("拒绝测试");
  await complete(p.tis, p.riskFlowId, "plan", planSubmission);
  await complete(p.insurer, p.riskFlowId, "planReview", { decision: "approve" });
});

describe("risk steps refuse what would not stand, by field", () => {
  it("takes text of only spaces for nothing: a required field stays required (it made an incident)", async () => {
    const error = await refusal(
      complete(p.tis, p.riskFlowId, "inspection", inspectionSubmission([riskEventInput({ location: "   ", description: " " })])),
    );
    expect(error).toMatchObject({ status: 422 });
    expect(Object.keys(error.fields).sort()).toEqual(["events.0.description", "events.0.location"]);
    expect(await eventsOf()).toEqual([]);
    expect(await db().select().from(inspections).where(eq(inspections.projectId, p.projectId))).toEqual([]);
  });

  it("refuses a day that has not come, too many photos and the same photo twice", async () => {
    const picture = await photo(p.tis);
    const future = await refusal(complete(p.tis, p.riskFlowId, "inspection", inspectionSubmission([], { inspectedOn: tomorrow() })));
    expect(future.fields).toEqual({ inspectedOn: "检查日期不能晚于今天" });
    const many = await refusal(complete(p.tis, p.riskFlowId, "inspection", inspectionSubmission([], { photos: Array(21).fill(picture) })));
    expect(many.fields).toEqual({ photos: "现场照片最多20个文件" });
    const twice = await refusal(complete(p.tis, p.riskFlowId, "inspection", inspectionSubmission([], { photos: [picture, picture] })));
    expect(twice.fields).toEqual({ photos: "同一文件不能重复提交，请上传各自的文件" });
    const again = await refusal(
      complete(p.tis, p.riskFlowId, "inspection", inspectionSubmission([riskEventInput({ photos: [picture] })], { photos: [picture] })),
    );
    // Named on one of the two fields that hold it.
    expect(Object.values(again.fields)).toEqual(["同一文件不能重复提交，请上传各自的文件"]);
    expect(await eventsOf()).toEqual([]);
  });

  it("the inspection's services refuse a deadline before the inspection themselves (a flow still on an older form has no rule for it)", async () => {
    const [project] = await db().select().from(projects).where(eq(projects.id, p.projectId));
    const early = riskEventInput({ deadline: "2026-11-19" });
    const startFlow = (() => Promise.reject(new Error("no event may be raised"))) as never;
    const fieldsOf = (work: (tx: Tx) => Promise<unknown>) =>
      db()
        .transaction(work)
        .then(
          () => ({}),
          (e: { fields?: Record<string, string> }) => e.fields,
        );
    const inspection = inspectionSubmission([early], { inspectedOn: "2026-11-20" });
    expect(await fieldsOf((tx) => recordInspection({ tx, actor: p.tis, project, startFlow }, inspection))).toEqual({
      "events.0.deadline": "整改期限不能早于检查日期",
    });
    const reinspection = { inspectedOn: "2026-11-20", defects: [early] };
    expect(await fieldsOf((tx) => recordReinspection({ tx, actor: p.tis, project, startFlow }, reinspection))).toEqual({
      "defects.0.deadline": "维修期限不能早于复查日期",
    });
    expect(await eventsOf()).toEqual([]);
  });

  it("requires a real reason to send a rectification back, and a rectification between the inspection and today", async () => {
    const inspectedOn = formatDateTime(clock.now(), "YYYY-MM-DD");
    await complete(p.tis, p.riskFlowId, "inspection", inspectionSubmission([riskEventInput()], { inspectedOn }));
    const [event] = await eventsOf();
    const evidence = await photo(p.contractor, "整改后.png");
    const blank = await refusal(
      complete(p.contractor, event.instanceId!, "rectify", { rectifiedOn: inspectedOn, measures: "  ", photos: [evidence] }),
    );
    expect(Object.keys(blank.fields)).toEqual(["measures"]);
    const later = await refusal(
      complete(p.contractor, event.instanceId!, "rectify", { rectifiedOn: tomorrow(), measures: "补设止水钢板", photos: [evidence] }),
    );
    expect(later.fields).toEqual({ rectifiedOn: "整改完成日期不能晚于今天" });
    const before = await refusal(
      complete(p.contractor, event.instanceId!, "rectify", {
        rectifiedOn: shiftDay(inspectedOn, -1, "day"),
        measures: "补设止水钢板",
        photos: [evidence],
      }),
    );
    expect(before).toMatchObject({ status: 422, fields: { rectifiedOn: `整改完成日期不能早于检查日期（${inspectedOn}）` } });
    expect((await taskAt(event.instanceId!, "rectify")).status).toBe("open");
    await complete(p.contractor, event.instanceId!, "rectify", { rectifiedOn: inspectedOn, measures: "补设止水钢板", photos: [evidence] });
    const reason = await refusal(complete(p.tis, event.instanceId!, "verify", { decision: "return", reason: "   " }));
    expect(reason.fields).toEqual({ reason: "退回整改时必须填写原因" });
    expect((await taskAt(event.instanceId!, "verify")).status).toBe("open");
  });

  it("keeps the completion date within the project's life, and an agreed re-inspection within five years of it", async () => {
    const report = await photo(p.tis, "最终检查报告.png");
    await complete(p.tis, p.riskFlowId, "finalReport", {
      reportDate: "2026-11-20",
      summary: "良好",
      rectification: "已整改",
      conclusion: "同意",
      documents: [report],
    });
    await complete(p.insurer, p.riskFlowId, "finalReview", { decision: "approve" });
    const [stamped, statement] = await Promise.all([photo(p.insurer, "盖章报告.png"), photo(p.insurer, "说明书.png")]);
    const same = await refusal(
      complete(p.insurer, p.riskFlowId, "issue", {
        stampedReport: [stamped],
        coverageStatement: [statement],
        notice: [statement],
        tisStars: 5,
      }),
    );
    expect(Object.values(same.fields)).toEqual(["同一文件不能重复提交，请上传各自的文件"]);
    const notice = await photo(p.insurer, "告知书.png");
    await complete(p.insurer, p.riskFlowId, "issue", {
      stampedReport: [stamped],
      coverageStatement: [statement],
      notice: [notice],
      tisStars: 5,
    });

    const documents = [await photo(p.developer, "竣工验收备案表.png")];
    const [project] = await db().select().from(projects).where(eq(projects.id, p.projectId));
    const cases: [Record<string, unknown>, Record<string, string>][] = [
      [{ acceptedOn: "2099-01-01" }, { acceptedOn: "竣工验收日期不能晚于今天" }],
      [{ acceptedOn: "2020-01-01" }, { acceptedOn: `竣工验收日期不能早于开工日期（${project.startDate}）` }],
      [{ acceptedOn: "2026-11-20", agreedReinspectionOn: "2099-01-01" }, { agreedReinspectionOn: "约定复查日期应在竣工验收后5年以内" }],
    ];
    for (const [dates, fields] of cases) {
      expect((await refusal(complete(p.developer, p.riskFlowId, "completion", { ...dates, documents }))).fields).toEqual(fields);
    }
    await complete(p.developer, p.riskFlowId, "completion", { acceptedOn: "2026-11-20", agreedReinspectionOn: "2028-06-30", documents });
    const [after] = await db().select().from(projects).where(eq(projects.id, p.projectId));
    expect([after.stage, after.reinspectionDueOn]).toEqual(["use", "2028-06-30"]);
  });
});
