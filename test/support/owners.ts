import { count, eq } from "drizzle-orm";
import { attachments, organisations, projects, units } from "@db/schema";
import type { Actor } from "~/server/auth/actor";
import { unitLabel } from "~/server/claims/coverage.server";
import { db } from "~/server/db.server";
import { deployBuiltIns } from "~/server/workflow/index.server";
import { useSmsSender, type SmsSender } from "~/server/sms/sender.server";
import { deliveredProject } from "./claims";
import type { Sql } from "./platform";

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

/** How many files the owner of this phone has stored (report photos, kept or linked to a claim). */
export async function ownersFiles(phone: string): Promise<number> {
  const [{ n }] = await db()
    .select({ n: count() })
    .from(attachments)
    .where(eq(attachments.uploadedBy, `owner:${phone}`));
  return n;
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

/**
 * Fills a report up to its confirmation (no photo; the estimate typed, or skipped), as an owner would
 * in any channel; `home` is picked when the owner has several (an owner of one is not asked).
 */
export async function fillReport(
  chat: OwnerChatDriver,
  report: { home?: string; part: string; description: string; name: string; estimate?: string },
) {
  await chat.press("我要报修");
  if (report.home) await chat.press(report.home);
  await chat.press(report.part);
  await chat.type(report.description);
  await chat.press("完成");
  if (report.estimate) await chat.type(report.estimate);
  else await chat.press("不清楚，跳过");
  await chat.type(report.name);
}

/**
 * A home with its owner's phone, written straight into a running platform's database (the e2e and
 * HTTP tests have no service layer in their process): an insured project in its use stage.
 */
export async function homeOverSql(sql: Sql, home: { permitNo: string; community: string; building: string; room: string; phone: string }) {
  const [insurer] = await sql<{ id: string }>("select id from organisations where type = 'insurer' order by name limit 1");
  const [project] = await sql<{ id: string }>(
    `insert into projects (permit_no, name, community_name, district, address, gross_floor_area, building_count, home_count,
       construction_cost, start_date, planned_completion_date, lead_insurer_id, status, stage)
     values ($1, $2, $3, '530102', '五华区测试路', 1000, 1, 10, 1000000, '2020-01-01', '2021-01-01', $4, 'insured', 'use') returning id`,
    [home.permitNo, `${home.community}一期`, home.community, insurer.id],
  );
  await sql("insert into units (project_id, building, unit_no, room, owner_phone) values ($1, $2, '1', $3, $4)", [
    project.id,
    home.building,
    home.room,
    home.phone,
  ]);
}
