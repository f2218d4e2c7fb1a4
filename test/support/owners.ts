import { eq } from "drizzle-orm";
import { organisations, policies, projects, units } from "@db/schema";
import { db } from "~/server/db.server";
import { deployBuiltIns } from "~/server/workflow/definitions.server";
import { useSmsSender, type SmsSender } from "../../bots/sms/sender";
import { insuredProject } from "./risk";

// Owners as the channels meet them: homes with owners' phones on an insured project, and the SMS
// codes the platform sends them, caught instead of sent.

export interface OwnedHomes {
  projectId: string;
  communityName: string;
  insurerName: string;
  /** Unit ids by a name the test gives them. */
  units: Record<string, string>;
}

/**
 * An insured project whose policy started in 2020 (so its 10-year structure cover is in force and
 * its 5-year waterproofing cover has ended), with homes owned by the given phones.
 */
export async function ownedHomes(name: string, homes: Record<string, { phone: string; building: string; unitNo: string; room: string }>) {
  await deployBuiltIns(db());
  const { projectId } = await insuredProject(name);
  await db().update(policies).set({ periodStart: "2020-01-01", periodEnd: "2030-12-31" }).where(eq(policies.projectId, projectId));
  const ids: Record<string, string> = {};
  for (const [key, home] of Object.entries(homes)) {
    const [row] = await db()
      .insert(units)
      .values({ projectId, building: home.building, unitNo: home.unitNo, room: home.room, ownerName: "业主", ownerPhone: home.phone })
      .returning({ id: units.id });
    ids[key] = row.id;
  }
  const [project] = await db()
    .select({ communityName: projects.communityName, insurerName: organisations.name })
    .from(projects)
    .innerJoin(organisations, eq(organisations.id, projects.leadInsurerId))
    .where(eq(projects.id, projectId));
  return { projectId, communityName: project.communityName, insurerName: project.insurerName, units: ids } satisfies OwnedHomes;
}

/** Catches the codes the platform would text, per phone (the latest last). */
export function catchSmsCodes(): { codes: Map<string, string[]>; latest(phone: string): string } {
  const codes = new Map<string, string[]>();
  const sender: SmsSender = {
    async sendCode(phone, code) {
      codes.set(phone, [...(codes.get(phone) ?? []), code]);
    },
  };
  useSmsSender(sender);
  return {
    codes,
    latest(phone) {
      const sent = codes.get(phone);
      if (!sent?.length) throw new Error(`no code sent to ${phone}`);
      return sent.at(-1)!;
    },
  };
}

/** A chat as a test drives it, on either channel: press a shown button, type a text. */
export interface OwnerChatDriver {
  press(label: string): Promise<unknown>;
  type(text: string): Promise<unknown>;
}

/** Fills a report up to its confirmation (no photo), as an owner would in any channel. */
export async function fillReport(chat: OwnerChatDriver, report: { home: string; part: string; description: string; name: string }) {
  await chat.press("我要报修");
  await chat.press(report.home);
  await chat.press(report.part);
  await chat.type(report.description);
  await chat.press("完成");
  await chat.type(report.name);
}
