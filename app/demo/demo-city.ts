import { count } from "drizzle-orm";
import { hash } from "@node-rs/argon2";
import type { Db } from "@db/client";
import { auditEvents, organisations, users } from "@db/schema";
import type { Role } from "@db/schema/roles";
import { DEMO_ORGANISATIONS, DEMO_USERS, demoCreditCode } from "./demo-organisations";

/** Builds the demo city when the database has no organisations yet. Returns whether it did. */
export async function seedDemoCity(db: Db, options: { password: string }): Promise<boolean> {
  const [{ n }] = await db.select({ n: count() }).from(organisations);
  if (n > 0) return false;
  // One hash for all demo accounts: they share the demo password, and seeding stays quick.
  const passwordHash = await hash(options.password);
  await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(organisations)
      .values(
        DEMO_ORGANISATIONS.map((o) => ({
          type: o.type,
          name: o.name,
          creditCode: demoCreditCode(o.key),
          contactPerson: o.contactPerson,
          contactPhone: o.contactPhone,
          address: o.address,
          district: o.district,
        })),
      )
      .returning({ id: organisations.id, name: organisations.name });
    const idByKey = new Map(DEMO_ORGANISATIONS.map((o, i) => [o.key, inserted[i].id]));
    await tx.insert(users).values(
      DEMO_USERS.map((u) => ({
        id: crypto.randomUUID(),
        username: u.username,
        displayName: u.displayName,
        phone: u.phone,
        organisationId: idByKey.get(u.organisation)!,
        roles: [u.role as Role],
        passwordHash,
      })),
    );
    await tx.insert(auditEvents).values({
      actorName: "平台系统",
      action: "seed.demo_city",
      subjectType: "platform",
      subjectId: "demo-city",
      after: { organisations: DEMO_ORGANISATIONS.length, users: DEMO_USERS.length },
    });
  });
  return true;
}
