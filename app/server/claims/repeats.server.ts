import { and, eq, sql } from "drizzle-orm";
import { claims, type BuildingPart } from "@db/schema";
import type { Executor } from "@db/client";
import { PLATFORM_TIME_ZONE } from "~/shared/time";

// 维修单位施工质量跟踪 counts a repair that did not hold: the same home reported a defect of the same
// part again within a year of the repair's finish. Whether a claim's repair held depends on the
// home's later claims, so it is kept on the claim (repeat_within_year) and set again, for the home
// and part concerned, in the transaction that reports a claim and in the one that records a repair
// (docs/decisions/029): the statistics read it from an index instead of looking for the later
// claims of each repaired one.

const zone = sql.raw(`'${PLATFORM_TIME_ZONE}'`);

/** A later report of the claim's part on its home within a year of its repair's finish. */
const reportedAgain = sql<boolean>`exists (select 1 from ${claims} later where later.unit_id = ${claims.unitId}
  and later.part = ${claims.part} and later.id <> ${claims.id}
  and (later.reported_at at time zone ${zone})::date >= (${claims.repair}->>'finishedOn')::date
  and (later.reported_at at time zone ${zone})::date <= (${claims.repair}->>'finishedOn')::date + interval '1 year')`;

/** Sets again, where it changed, whether the repairs of a home's part held. */
export async function refreshRepeats(ex: Executor, home: { unitId: string; part: BuildingPart }): Promise<void> {
  await ex
    .update(claims)
    .set({ repeatWithinYear: reportedAgain })
    .where(
      and(eq(claims.unitId, home.unitId), eq(claims.part, home.part), sql`${claims.repeatWithinYear} is distinct from ${reportedAgain}`),
    );
}

/** Every claim's mark set again from the facts: after claims were inserted in bulk (the city at scale). */
export async function repeatsAgain(ex: Executor): Promise<void> {
  await ex
    .update(claims)
    .set({ repeatWithinYear: reportedAgain })
    .where(sql`${claims.repair} is not null`);
}
