import { count, eq } from "drizzle-orm";
import { projects, users } from "@db/schema";
import { demoProjects } from "@db/seed/demo-projects";
import { demoCreditCode } from "@db/seed/demo-organisations";
import type { Actor } from "../auth/actor";
import { loadActor } from "../auth/current-user.server";
import { clock } from "../clock.server";
import { db } from "../db.server";
import { logger } from "../logger.server";
import { completeTask } from "../workflow/complete.server";
import { startProcess } from "../workflow/start.server";
import { openTasksOf } from "../workflow/tasks.server";

const INSURER_USERS = { picc: "insurer", cpic: "insurer-cpic", pingan: "insurer-pingan" } as const;
const RETURN_REASONS = ["共保协议未上传，请补充", "施工单位与施工许可信息不一致，请核对", "保险期间应自竣工验收两年后起算，请更正"];

async function demoUser(username: string): Promise<Actor> {
  const [row] = await db().select({ id: users.id }).from(users).where(eq(users.username, username));
  const actor = row ? await loadActor(db(), row.id, null) : null;
  if (!actor) throw new Error(`demo user ${username} is missing`);
  return actor;
}

/**
 * Puts the demo city's projects on the platform the way users would: each goes through the
 * insurance-review flow as far as its stage (registered, awaiting confirmation, returned, insured),
 * so its tasks, history and risk-management start are all real. First start only.
 */
export async function seedDemoProjects(): Promise<number> {
  const [{ n }] = await db().select({ n: count() }).from(projects);
  if (n > 0) return 0;
  const regulator = await demoUser("regulator");
  const seeded = demoProjects(clock.now());
  for (const [i, p] of seeded.entries()) {
    const insurer = await demoUser(INSURER_USERS[p.insurer]);
    const instance = await startProcess(insurer, { key: "insurance-review", title: String(p.registration.name) });
    const next = async () => (await openTasksOf(instance.id))[0];
    await completeTask(insurer, (await next()).id, {
      submission: {
        ...p.registration,
        developer: { creditCode: demoCreditCode(p.developer) },
        contractor: { creditCode: demoCreditCode(p.contractor) },
        supervisor: { creditCode: demoCreditCode(p.supervisor) },
        designer: { creditCode: demoCreditCode(p.designer) },
      },
    });
    if (p.stage === "draft") continue;
    await completeTask(insurer, (await next()).id, {
      submission: {
        ...p.policy,
        coinsurers: p.coinsurer ? [{ creditCode: demoCreditCode(p.coinsurer), share: 40 }] : [],
        reinsurers: i % 3 === 0 ? [{ creditCode: demoCreditCode("chinare"), share: 30 }] : [],
        tisCreditCode: demoCreditCode(p.tis),
      },
    });
    if (p.stage === "awaiting_confirmation") continue;
    const decision =
      p.stage === "insured" ? { decision: "confirm" } : { decision: "return", reason: RETURN_REASONS[i % RETURN_REASONS.length] };
    await completeTask(regulator, (await next()).id, { submission: decision });
  }
  logger.info({ projects: seeded.length }, "demo projects seeded");
  return seeded.length;
}
