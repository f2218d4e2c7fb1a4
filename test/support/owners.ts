import { eq } from "drizzle-orm";
import { organisations, projects, units } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { unitLabel } from "~/server/claims/coverage.server";
import { db } from "~/server/db.server";
import { deployBuiltIns } from "~/server/workflow/definitions.server";
import { useSmsSender, type SmsSender } from "../../bots/sms/sender";
import { deliveredProject } from "./claims";

// Owners as the channels meet them: homes with owners' phones on a delivered project, the SMS codes
// the platform sends them (caught instead of sent), and a report filled in through a chat.

export interface OwnedHomes {
  projectId: string;
  insurer: Actor;
  communityName: string;
  insurerName: string;
  /** Unit ids by a name the test gives them. */
  units: Record<string, string>;
  /** Each home as the owners' buttons name it (小区 + 1栋2单元1501). */
  labels: Record<string, string>;
}

/** A delivered project (its cover started a year ago) with a home for each named owner's phone. */
export async function ownedHomes(owners: Record<string, string>): Promise<OwnedHomes> {
  await deployBuiltIns(db());
  const keys = Object.keys(owners);
  const project = await deliveredProject(keys.map((k) => owners[k]));
  const [names] = await db()
    .select({ communityName: projects.communityName, insurerName: organisations.name })
    .from(projects)
    .innerJoin(organisations, eq(organisations.id, projects.leadInsurerId))
    .where(eq(projects.id, project.projectId));
  const homeUnits = await db().select().from(units).where(eq(units.projectId, project.projectId));
  const labelOf = (id: string) => `${names.communityName} ${unitLabel(homeUnits.find((u) => u.id === id)!)}`;
  return {
    projectId: project.projectId,
    insurer: project.insurer,
    ...names,
    units: Object.fromEntries(keys.map((k, i) => [k, project.homes[i].id])),
    labels: Object.fromEntries(keys.map((k, i) => [k, labelOf(project.homes[i].id)])),
  };
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
