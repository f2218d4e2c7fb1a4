import { describe, expect, it } from "vitest";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Actor } from "~/server/auth/actor";
import { scope } from "~/server/auth/scope.server";

// The shape of a scope condition decides how PostgreSQL can plan a list (docs/decisions/044): a
// single role's rule over its projects must stand alone, an IN (subquery) the planner may join from
// either side, not inside an OR with the resource's empty baseline, where it can only be tested row
// by row (a district's 重大 events read the city's million to count their first thousand).

const dialect = new PgDialect();
const text = (condition: ReturnType<typeof scope>) => dialect.sqlToQuery(condition).sql;

const actor = (roles: Actor["roles"]): Actor => ({
  userId: "00000000-0000-4000-8000-000000000001",
  username: "someone",
  displayName: "某人",
  organisationId: "00000000-0000-4000-8000-000000000002",
  organisationType: "tis",
  organisationName: "某机构",
  roles,
  ip: null,
});

describe("a scope's condition", () => {
  it("is a single role's rule alone where the resource has no baseline: no OR for the planner to stop at", () => {
    for (const [role, resource] of [
      ["tis", "risk_event"],
      ["contractor", "risk_event"],
      ["developer", "claim"],
      ["tis", "project"],
    ] as const) {
      const condition = text(scope(actor([role]), resource));
      expect(condition, `${role} ${resource}`).not.toMatch(/\bor\b|false/i);
      expect(condition).toContain("$1");
    }
  });

  it("keeps the baseline where there is one, and every role's rule for several roles", () => {
    expect(text(scope(actor(["tis"]), "task"))).toMatch(/ or /);
    const both = text(scope(actor(["tis", "contractor"]), "risk_event"));
    expect(both).toContain('"tis_id"');
    expect(both).toContain('"contractor_id"');
  });

  it("still sees nothing without a user, and nothing of a resource a role has no rule for", () => {
    expect(text(scope({ ...actor(["tis"]), userId: null }, "risk_event"))).toBe("false");
    expect(text(scope(actor(["tis"]), "claim"))).toBe("false");
  });
});
