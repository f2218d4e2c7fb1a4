import { and, count, eq, ilike, inArray, notExists, or, sql, type SQL } from "drizzle-orm";
import { projects, units } from "@db/schema";
import { alias, type AnyPgColumn } from "drizzle-orm/pg-core";
import { parseHomeAddress, storedForms, withoutLeadingZeros, type HomeAddress } from "~/shared/home-address";
import { maskName, maskPhone } from "~/shared/phone";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { db } from "../db.server";
import { likePattern, listParams, searchText, offsetOf, pageSchema, type Page } from "../pagination.server";
import { unitLabel } from "./coverage.server";
import { propertyCompanyOf, type PropertyCompany } from "./property-company.server";
import { answersForHomes, mayImportUnits, scopedProject } from "./units-import.server";

// 房屋 of a project as its parties see them: owners' names and phones masked for everyone who does
// not need to call them (full for the regulator, the hotline and the administrators).

const FULL_CONTACT_ROLES = ["regulator", "hotline", "admin"] as const;

export const unitQuerySchema = pageSchema.extend({
  building: searchText(20, "楼栋不能超过20个字"),
  q: searchText(50),
});

export interface UnitRow {
  id: string;
  building: string;
  unitNo: string;
  room: string;
  label: string;
  area: string | null;
  ownerName: string | null;
  ownerPhone: string | null;
}

export interface UnitList extends Page<UnitRow> {
  buildings: string[];
  canImport: boolean;
  contactMasked: boolean;
  /** 物业服务企业, once the developer named it; who may name it. */
  propertyCompany: PropertyCompany | null;
  canNamePropertyCompany: boolean;
}

// Numbered buildings, units and rooms in their natural order (2 before 10).
export const naturally = (column: AnyPgColumn): SQL[] => [sql`length(${column})`, sql`${column}`];

const ADDRESS_COLUMNS = { building: units.building, unitNo: units.unitNo, room: units.room } as const;

const sameProject = alias(units, "same_project");
const SAME_PROJECT_COLUMNS = { building: sameProject.building, unitNo: sameProject.unitNo, room: sameProject.room } as const;

/**
 * The homes at each part of the address named: building "1" is stored as "1" or "1栋", never "11";
 * room 401 is not 1401. A number typed with leading zeros (0501) finds 501 only in a project that
 * writes no such number with its zeros: where 0101 is a room, 101 is another.
 */
export function homeAt(address: HomeAddress): SQL[] {
  return (Object.keys(address) as (keyof HomeAddress)[]).map((part) => {
    const exact = storedForms(part, address[part]!);
    const matches = inArray(sql`lower(${ADDRESS_COLUMNS[part]})`, exact);
    const loose = withoutLeadingZeros(address[part]!);
    if (!loose) return matches;
    const written = db()
      .select({ one: sql`1` })
      .from(sameProject)
      .where(and(eq(sameProject.projectId, units.projectId), inArray(sql`lower(${SAME_PROJECT_COLUMNS[part]})`, exact)));
    return or(matches, and(inArray(sql`lower(${ADDRESS_COLUMNS[part]})`, storedForms(part, loose)), notExists(written)))!;
  });
}

/** How many homes the project has, 0 when it is outside the actor's scope. */
export async function unitCount(actor: Actor, projectId: string): Promise<number> {
  const [{ total }] = await db()
    .select({ total: count() })
    .from(units)
    .innerJoin(projects, eq(projects.id, units.projectId))
    .where(and(eq(units.projectId, projectId), scope(actor, "project")));
  return total;
}

/**
 * A project's homes, a page at a time, filtered by building and searched by address (a room is
 * matched exactly: "1401", "2单元1401", "1-2-1401"), or by owner's name where names show.
 */
export async function listUnits(actor: Actor, projectId: string, query: unknown): Promise<UnitList> {
  const project = await scopedProject(actor, projectId);
  const q = listParams(unitQuerySchema, query);
  const contactMasked = !actor.roles.some((r) => (FULL_CONTACT_ROLES as readonly string[]).includes(r));
  const filters: (SQL | undefined)[] = [eq(units.projectId, project.id)];
  if (q.building) filters.push(eq(units.building, q.building));
  // Owners' names are searched only by those who may read them: a search must not unmask a name.
  const address = q.q ? parseHomeAddress(q.q) : null;
  if (address) filters.push(...homeAt(address));
  else if (q.q) filters.push(contactMasked ? sql`false` : ilike(units.ownerName, likePattern(q.q)));
  const where = and(...filters);
  const [rows, [{ total }], buildings, propertyCompany] = await Promise.all([
    db()
      .select()
      .from(units)
      .where(where)
      .orderBy(...naturally(units.building), ...naturally(units.unitNo), ...naturally(units.room))
      .limit(q.pageSize)
      .offset(offsetOf(q)),
    db().select({ total: count() }).from(units).where(where),
    db()
      .selectDistinct({ building: units.building, length: sql`length(${units.building})` })
      .from(units)
      .where(eq(units.projectId, project.id))
      .orderBy(...naturally(units.building)),
    propertyCompanyOf(project),
  ]);
  return {
    rows: rows.map((u) => ({
      id: u.id,
      building: u.building,
      unitNo: u.unitNo,
      room: u.room,
      label: unitLabel(u),
      area: u.area,
      ownerName: contactMasked ? maskName(u.ownerName) : u.ownerName,
      ownerPhone: contactMasked ? maskPhone(u.ownerPhone) : u.ownerPhone,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
    buildings: buildings.map((b) => b.building),
    canImport: mayImportUnits(actor, project) && project.status === "insured",
    contactMasked,
    propertyCompany,
    canNamePropertyCompany: answersForHomes(actor, project),
  };
}
