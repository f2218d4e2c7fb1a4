import { describe, expect, it } from "vitest";
import { listAuditEvents } from "~/server/admin/audit-log.server";
import { getOrganisation, listOrganisations } from "~/server/admin/organisations.server";
import { getUser, listUsers } from "~/server/admin/users.server";
import { DEMO_USERS, DEMO_ORGANISATIONS } from "~/demo/demo-organisations";
import { SYSTEM_ACTOR } from "~/server/auth/actor";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";

useTestDatabase();

const ALL_ORGS = DEMO_ORGANISATIONS.length;

// The authorization matrix of what exists so far: for every demo role, how many organisations and
// users it can see, and whether it reads the whole audit trail.
const MATRIX: Record<string, { organisations: number; users: "all" | "own"; audit: "all" | "own" | "none" }> = {
  admin: { organisations: ALL_ORGS, users: "all", audit: "all" },
  regulator: { organisations: ALL_ORGS, users: "own", audit: "all" },
  hotline: { organisations: ALL_ORGS, users: "own", audit: "none" },
  "financial-regulator": { organisations: 1, users: "own", audit: "none" },
  insurer: { organisations: 1, users: "own", audit: "none" },
  insurer2: { organisations: 1, users: "own", audit: "none" },
  "insurer-cpic": { organisations: 1, users: "own", audit: "none" },
  "insurer-pingan": { organisations: 1, users: "own", audit: "none" },
  reinsurer: { organisations: 1, users: "own", audit: "none" },
  tis: { organisations: 1, users: "own", audit: "none" },
  developer: { organisations: 1, users: "own", audit: "none" },
  contractor: { organisations: 1, users: "own", audit: "none" },
  supervisor: { organisations: 1, users: "own", audit: "none" },
  designer: { organisations: 1, users: "own", audit: "none" },
  repairer: { organisations: 1, users: "own", audit: "none" },
};

describe("the scope function", () => {
  for (const demo of DEMO_USERS) {
    const expected = MATRIX[demo.username];
    it(`${demo.username} sees ${expected.organisations === 1 ? "its own organisation" : "every organisation"} and ${expected.users} users`, async () => {
      const actor = await demoActor(demo.username);
      const orgs = await listOrganisations(actor, { pageSize: 100 });
      expect(orgs.total).toBe(expected.organisations);
      if (expected.organisations === 1) expect(orgs.rows[0].id).toBe(actor.organisationId);
      const visibleUsers = await listUsers(actor, { pageSize: 100 });
      if (expected.users === "all") expect(visibleUsers.total).toBe(DEMO_USERS.length);
      else expect(visibleUsers.rows.every((u) => u.organisationId === actor.organisationId)).toBe(true);
    });
  }

  it("a row outside the scope is not found (404), not forbidden", async () => {
    const insurer = await demoActor("insurer");
    const tis = await demoActor("tis");
    await expect(getOrganisation(insurer, tis.organisationId!)).rejects.toMatchObject({ status: 404 });
    await expect(getUser(insurer, tis.userId!)).rejects.toMatchObject({ status: 404 });
    await expect(getOrganisation(insurer, "not-a-uuid")).rejects.toMatchObject({ status: 404 });
  });

  it("reads the audit trail: the admin and the regulator all of it, others not at all", async () => {
    for (const demo of DEMO_USERS) {
      const actor = await demoActor(demo.username);
      const read = listAuditEvents(actor, {});
      if (MATRIX[demo.username].audit === "all") await expect(read).resolves.toMatchObject({ total: expect.any(Number) });
      else await expect(read).rejects.toMatchObject({ status: 403 });
    }
  });

  it("the platform itself (no signed-in user) sees nothing through a user's scope", async () => {
    expect((await listOrganisations(SYSTEM_ACTOR, {})).total).toBe(0);
  });
});
