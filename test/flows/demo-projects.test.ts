import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { policies, processInstances, projects } from "@db/schema";
import { db } from "~/server/db.server";
import { seedDemoProjects } from "~/server/projects/demo-seed.server";
import { listProjects } from "~/server/projects/projects.server";
import { deployBuiltIns } from "~/server/workflow/definitions.server";
import { listTasks } from "~/server/workflow/tasks.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";

useTestDatabase();
beforeAll(async () => {
  await deployBuiltIns();
  await seedDemoProjects();
}, 600_000);

describe("the demo city's projects", () => {
  it("are forty, in every state of the insurance review", async () => {
    const rows = await db().select({ status: projects.status, n: count() }).from(projects).groupBy(projects.status);
    expect(Object.fromEntries(rows.map((r) => [r.status, r.n]))).toEqual({ insured: 18, awaiting_confirmation: 8, draft: 8, returned: 6 });
  });

  it("went through the flow: the regulator has confirmations waiting, the TIS has risk plans to write and sites to inspect", async () => {
    const confirmations = await listTasks(await demoActor("regulator"), { q: "", pageSize: 100 });
    expect(confirmations.rows.filter((t) => t.name === "住建局确认投保")).toHaveLength(8);
    const [{ n: riskFlows }] = await db()
      .select({ n: count() })
      .from(processInstances)
      .where(eq(processInstances.definitionKey, "risk-management"));
    expect(riskFlows).toBe(18);
    const tisTasks = await listTasks(await demoActor("tis"), { pageSize: 100 });
    expect(tisTasks.rows.length).toBeGreaterThan(0);
    expect(new Set(tisTasks.rows.map((t) => t.name))).toEqual(
      new Set(["风险交底及检查计划", "现场风险检查", "风险过程评估报告", "质量风险最终检查报告", "整改复核"]),
    );
  });

  it("have consistent policies: premium = sum insured × rate", async () => {
    const rows = await db().select().from(policies);
    expect(rows).toHaveLength(32);
    for (const p of rows) expect(Math.abs(Number(p.sumInsured) * Number(p.rate) - Number(p.premium))).toBeLessThanOrEqual(1);
  });

  it("are spread over the city and among the insurers", async () => {
    const regulator = await demoActor("regulator");
    const all = await listProjects(regulator, { pageSize: 100 });
    expect(new Set(all.rows.map((r) => r.district)).size).toBeGreaterThanOrEqual(10);
    // Each project has a name of its own: the same name under two statuses reads as one project.
    expect(new Set(all.rows.map((r) => r.name)).size).toBe(all.rows.length);
    expect(new Set(all.rows.map((r) => r.insurerName)).size).toBe(3);
    expect((await listProjects(await demoActor("insurer-cpic"), { pageSize: 100 })).total).toBeGreaterThan(10);
  });

  it("are seeded on the first start only", async () => {
    expect(await seedDemoProjects()).toBe(0);
  });
});
