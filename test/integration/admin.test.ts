import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, organisations, sessions, users } from "@db/schema";
import { createOrganisation, listOrganisations, setOrganisationStatus, updateOrganisation } from "~/server/admin/organisations.server";
import { listAuditEvents } from "~/server/admin/audit-log.server";
import { createUser, getUser, listUsers, resetPassword, setUserStatus, updateUser } from "~/server/admin/users.server";
import { sessionActor } from "~/server/auth/current-user.server";
import { PENDING_ORGANISATION, signIn } from "~/server/auth/sign-in.server";
import { db } from "~/server/db.server";
import { creditCodeCheckCharacter } from "~/shared/credit-code";
import { demoActor } from "../support/actors";
import { DEMO_PASSWORD, useTestDatabase } from "../support/database";

useTestDatabase();

function validCode(stem: string) {
  const first17 = `91530100${stem}`;
  return first17 + creditCodeCheckCharacter(first17);
}

async function countOf(table: typeof organisations | typeof users) {
  const [{ n }] = await db().select({ n: count() }).from(table);
  return n;
}

async function auditFor(subjectType: string, subjectId: string) {
  return db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, subjectType), eq(auditEvents.subjectId, subjectId)))
    .orderBy(auditEvents.id);
}

const newDeveloper = {
  type: "developer",
  name: "昆明长水置业有限公司",
  creditCode: validCode("MA6T9P1Q2"),
  contactPerson: "林峰",
  contactPhone: "0871-67001234",
  district: "530111",
};

describe("organisation administration", () => {
  it("registers an organisation and audits who did it", async () => {
    const admin = await demoActor("admin");
    const created = await createOrganisation(admin, { ...newDeveloper, creditCode: newDeveloper.creditCode.toLowerCase() });
    expect(created).toMatchObject({ name: "昆明长水置业有限公司", creditCode: newDeveloper.creditCode, status: "active" });
    const [event] = await auditFor("organisation", created.id);
    expect(event).toMatchObject({ action: "organisation.create", actorName: "平台管理员", actorUserId: admin.userId, ip: "127.0.0.1" });
  });

  it("refuses a wrong check character, a duplicate code, a bad phone and an unknown district, changing nothing", async () => {
    const admin = await demoActor("admin");
    const before = await countOf(organisations);
    const bad = { ...newDeveloper, creditCode: newDeveloper.creditCode.slice(0, 17) + (newDeveloper.creditCode[17] === "0" ? "1" : "0") };
    await expect(createOrganisation(admin, bad)).rejects.toMatchObject({
      status: 422,
      fields: { creditCode: "统一社会信用代码校验位错误，请核对后重新输入" },
    });
    await expect(createOrganisation(admin, newDeveloper)).rejects.toMatchObject({
      status: 422,
      fields: { creditCode: "该统一社会信用代码已登记为“昆明长水置业有限公司”" },
    });
    await expect(
      createOrganisation(admin, { ...newDeveloper, creditCode: validCode("MA6T9P1Q3"), contactPhone: "12345", district: "110101" }),
    ).rejects.toMatchObject({
      status: 422,
      fields: { contactPhone: expect.stringContaining("联系电话格式不正确"), district: "请选择昆明市的区县" },
    });
    expect(await countOf(organisations)).toBe(before);
  });

  it("is refused to anyone without the permission", async () => {
    const regulator = await demoActor("regulator");
    await expect(createOrganisation(regulator, { ...newDeveloper, creditCode: validCode("MA6T9P1Q4") })).rejects.toMatchObject({
      status: 403,
    });
  });

  it("edits an organisation, auditing before and after", async () => {
    const admin = await demoActor("admin");
    const [found] = (await listOrganisations(admin, { q: "长水" })).rows;
    await updateOrganisation(admin, found.id, { ...newDeveloper, contactPerson: "林小峰" });
    const events = await auditFor("organisation", found.id);
    expect(events.at(-1)).toMatchObject({
      action: "organisation.update",
      before: expect.objectContaining({ contactPerson: "林峰" }),
      after: expect.objectContaining({ contactPerson: "林小峰" }),
    });
  });

  it("disabling an organisation signs its users out and keeps them out", async () => {
    const admin = await demoActor("admin");
    const { actor } = await signIn({ username: "designer", password: DEMO_PASSWORD, ip: null });
    await setOrganisationStatus(admin, actor.organisationId!, "disabled");
    const [{ n }] = await db().select({ n: count() }).from(sessions).where(eq(sessions.userId, actor.userId!));
    expect(n).toBe(0);
    await expect(signIn({ username: "designer", password: DEMO_PASSWORD, ip: null })).rejects.toMatchObject({
      message: "该账号已停用，请联系平台管理员",
    });
    await setOrganisationStatus(admin, actor.organisationId!, "active");
    await expect(signIn({ username: "designer", password: DEMO_PASSWORD, ip: null })).resolves.toBeTruthy();
  });

  it("an organisation set back to 待审核 keeps its people out until approved, as its API keys", async () => {
    const admin = await demoActor("admin");
    const { actor, sessionId } = await signIn({ username: "supervisor", password: DEMO_PASSWORD, ip: null });
    await setOrganisationStatus(admin, actor.organisationId!, "pending_review");
    expect(await sessionActor(db(), sessionId, null)).toBeNull();
    await expect(signIn({ username: "supervisor", password: DEMO_PASSWORD, ip: null })).rejects.toMatchObject({
      message: PENDING_ORGANISATION,
    });
    const [refused] = await db()
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, "supervisor"), eq(auditEvents.action, "auth.login_refused_pending")));
    expect(refused).toBeTruthy();
    await setOrganisationStatus(admin, actor.organisationId!, "active");
    await expect(signIn({ username: "supervisor", password: DEMO_PASSWORD, ip: null })).resolves.toBeTruthy();
  });
});

describe("user administration", () => {
  async function pingAn() {
    const admin = await demoActor("admin");
    return (await listOrganisations(admin, { q: "平安" })).rows[0];
  }

  it("creates a user who can sign in, with the password hashed by argon2", async () => {
    const admin = await demoActor("admin");
    const org = await pingAn();
    const created = await createUser(admin, {
      username: "PingAn.Liu",
      password: "Safe2026pass",
      displayName: "刘晓峰",
      phone: "13912345678",
      organisationId: org.id,
      roles: ["insurer"],
    });
    expect(created).toMatchObject({ username: "pingan.liu", organisationName: org.name, roles: ["insurer"] });
    expect(created).not.toHaveProperty("passwordHash");
    const [row] = await db().select().from(users).where(eq(users.id, created.id));
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    const [event] = await auditFor("user", created.id);
    expect(event.action).toBe("user.create");
    expect(JSON.stringify(event.after)).not.toContain("Safe2026pass");
    await expect(signIn({ username: "pingan.liu", password: "Safe2026pass", ip: null })).resolves.toBeTruthy();
  });

  it("refuses a taken user name, a role the organisation cannot hold and a weak password, changing nothing", async () => {
    const admin = await demoActor("admin");
    const org = await pingAn();
    const before = await countOf(users);
    const base = { password: "Safe2026pass", displayName: "某人", organisationId: org.id, roles: ["insurer"] };
    await expect(createUser(admin, { ...base, username: "insurer" })).rejects.toMatchObject({
      status: 422,
      fields: { username: "该用户名已被使用" },
    });
    await expect(createUser(admin, { ...base, username: "pingan.x", roles: ["admin"] })).rejects.toMatchObject({
      status: 422,
      fields: { roles: expect.stringContaining("不能担任“平台管理员”角色") },
    });
    await expect(createUser(admin, { ...base, username: "pingan.y", password: "onlyletters" })).rejects.toMatchObject({
      fields: { password: "密码须同时包含字母和数字" },
    });
    expect(await countOf(users)).toBe(before);
  });

  it("refuses an edit made from a stale version with 409", async () => {
    const admin = await demoActor("admin");
    const tis = await demoActor("tis");
    const user = await getUser(admin, tis.userId!);
    const edit = {
      displayName: "建科周工程师",
      phone: user.phone,
      organisationId: user.organisationId,
      roles: user.roles,
      version: user.version,
    };
    await updateUser(admin, user.id, edit);
    await expect(updateUser(admin, user.id, { ...edit, displayName: "过期的修改" })).rejects.toMatchObject({ status: 409 });
    expect((await getUser(admin, user.id)).displayName).toBe("建科周工程师");
  });

  it("resets a password: the old one stops working and open sessions end", async () => {
    const admin = await demoActor("admin");
    const { actor } = await signIn({ username: "reinsurer", password: DEMO_PASSWORD, ip: null });
    await expect(resetPassword(admin, actor.userId!, { password: "short" })).rejects.toMatchObject({ status: 422 });
    await resetPassword(admin, actor.userId!, { password: "NewPass2026" });
    await expect(signIn({ username: "reinsurer", password: DEMO_PASSWORD, ip: null })).rejects.toMatchObject({ status: 401 });
    await expect(signIn({ username: "reinsurer", password: "NewPass2026", ip: null })).resolves.toBeTruthy();
    const events = await auditFor("user", actor.userId!);
    expect(events.map((e) => e.action)).toContain("user.reset_password");
  });

  it("an administrator cannot disable their own account", async () => {
    const admin = await demoActor("admin");
    await expect(setUserStatus(admin, admin.userId!, "disabled")).rejects.toMatchObject({
      status: 422,
      fields: { status: "不能停用自己的账号" },
    });
  });

  it("searches users by name, organisation and role", async () => {
    const admin = await demoActor("admin");
    expect((await listUsers(admin, { q: "人保" })).rows.map((u) => u.username)).toEqual(["insurer", "insurer2"]);
    expect((await listUsers(admin, { q: "中国人民财产" })).rows.map((u) => u.username)).toEqual(["insurer", "insurer2"]);
    expect((await listUsers(admin, { role: "hotline" })).rows.map((u) => u.username)).toEqual(["hotline"]);
    expect((await listUsers(admin, { q: "%" })).total).toBe(0);
  });
});

describe("the administration's lists", () => {
  it.each([
    ["users", { role: "boss" }, "role", "角色不存在"],
    ["users", { status: "asleep" }, "status", "账号状态不存在"],
    ["users", { organisationId: "picc" }, "organisationId", "单位不存在"],
    ["organisations", { type: "bank" }, "type", "单位类型不存在"],
    ["organisations", { status: "gone" }, "status", "单位状态不存在"],
    ["audit", { from: "2026-13-40" }, "from", "开始日期应为有效日期（YYYY-MM-DD）"],
    ["audit", { from: "2026-03-02", to: "2026-03-01" }, "to", "结束日期不能早于开始日期"],
    ["audit", { action: "x".repeat(61) }, "action", "操作不存在"],
  ] as const)("%s: refuse %o on its field, in Chinese, never listing everything", async (list, query, field, message) => {
    const admin = await demoActor("admin");
    const read = { users: listUsers, organisations: listOrganisations, audit: listAuditEvents }[list];
    await expect(read(admin, query)).rejects.toMatchObject({ status: 422, fields: { [field]: message } });
    // An empty value (a cleared picker) is no filter.
    await expect(read(admin, Object.fromEntries(Object.keys(query).map((k) => [k, ""])))).resolves.toMatchObject({ page: 1 });
  });
});
