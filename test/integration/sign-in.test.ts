import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditEvents, sessions, users } from "@db/schema";
import { sessionActor } from "~/server/auth/current-user.server";
import { signIn, signOut } from "~/server/auth/sign-in.server";
import { resetPassword, setUserStatus } from "~/server/admin/users.server";
import { resetClock, setClock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import { demoActor } from "../support/actors";
import { DEMO_PASSWORD, useTestDatabase } from "../support/database";

useTestDatabase();
afterEach(resetClock);

async function auditActions(subjectId: string) {
  const rows = await db()
    .select({ action: auditEvents.action })
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, "account"), eq(auditEvents.subjectId, subjectId)))
    .orderBy(auditEvents.id);
  return rows.map((r) => r.action);
}

describe("signing in", () => {
  it("opens a session for a demo user with the demo password, whatever the case of the user name", async () => {
    const { actor, sessionId } = await signIn({ username: " Insurer ", password: DEMO_PASSWORD, ip: "10.0.0.1" });
    expect(actor.roles).toEqual(["insurer"]);
    expect(actor.organisationName).toBe("中国人民财产保险股份有限公司昆明市分公司");
    const current = await sessionActor(db(), sessionId, null);
    expect(current?.actor.username).toBe("insurer");
    const [user] = await db().select().from(users).where(eq(users.username, "insurer"));
    expect(user.lastLoginAt).not.toBeNull();
    expect(await auditActions("insurer")).toContain("auth.login");
  });

  it("refuses a wrong password with one message that does not tell whether the user exists", async () => {
    await expect(signIn({ username: "tis", password: "wrong-password", ip: null })).rejects.toMatchObject({
      status: 401,
      message: "用户名或密码错误",
    });
    await expect(signIn({ username: "nobody-here", password: "wrong", ip: null })).rejects.toMatchObject({
      status: 401,
      message: "用户名或密码错误",
    });
    expect(await auditActions("tis")).toEqual(["auth.login_failed"]);
    expect(await auditActions("nobody-here")).toEqual(["auth.login_failed"]);
  });
});

describe("the login throttle", () => {
  it("locks an account after 5 failures in 15 minutes and says when to retry, even with the right password", async () => {
    const start = new Date("2026-11-25T02:00:00Z");
    let minute = 0;
    setClock(() => new Date(start.getTime() + minute * 60_000));
    for (let i = 0; i < 4; i++, minute++) {
      await expect(signIn({ username: "contractor", password: "bad", ip: null })).rejects.toMatchObject({ status: 401 });
    }
    // The fifth failure (minute 4) locks the account until the first failure is 15 minutes old.
    await expect(signIn({ username: "contractor", password: "bad", ip: null })).rejects.toMatchObject({
      status: 429,
      message: "登录失败次数过多，账号已暂时锁定，请于 10:15 后再试",
    });
    minute = 10;
    await expect(signIn({ username: "contractor", password: DEMO_PASSWORD, ip: null })).rejects.toMatchObject({
      status: 429,
    });
    expect(await auditActions("contractor")).toEqual([
      ...Array(5).fill("auth.login_failed"),
      "auth.account_locked",
      "auth.login_refused_locked",
    ]);
    minute = 15;
    const { actor } = await signIn({ username: "contractor", password: DEMO_PASSWORD, ip: null });
    expect(actor.username).toBe("contractor");
  });

  it("says how many tries are left once three or fewer, for a name that has no account alike", async () => {
    for (const username of ["reinsurer", "nobody-counts"]) {
      const messages: string[] = [];
      for (let i = 0; i < 4; i++)
        messages.push(await signIn({ username, password: "bad", ip: null }).then(() => "signed in", (e: Error) => e.message));
      expect(messages).toEqual([
        "用户名或密码错误",
        "用户名或密码错误，还可尝试 3 次，再错将暂时锁定",
        "用户名或密码错误，还可尝试 2 次，再错将暂时锁定",
        "用户名或密码错误，还可尝试 1 次，再错将暂时锁定",
      ]);
    }
  });

  it("names a retry time no earlier than the lock's end: the minute rounded up", async () => {
    const start = new Date("2026-01-05T02:00:30Z");
    let seconds = 0;
    setClock(() => new Date(start.getTime() + seconds * 1000));
    for (let i = 0; i < 4; i++, seconds += 10)
      await expect(signIn({ username: "developer", password: "bad", ip: null })).rejects.toMatchObject({ status: 401 });
    // Locked until 02:15:30: a retry at 10:15 would still be refused.
    await expect(signIn({ username: "developer", password: "bad", ip: null })).rejects.toMatchObject({
      status: 429,
      message: "登录失败次数过多，账号已暂时锁定，请于 10:16 后再试",
    });
  });

  it("forgets earlier failures after a successful sign-in", async () => {
    for (let i = 0; i < 4; i++) await signIn({ username: "supervisor", password: "bad", ip: null }).catch(() => {});
    await signIn({ username: "supervisor", password: DEMO_PASSWORD, ip: null });
    await expect(signIn({ username: "supervisor", password: "bad", ip: null })).rejects.toMatchObject({ status: 401 });
  });

  it("does not let parallel guesses slip past the limit", async () => {
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => signIn({ username: "designer", password: "bad", ip: null })));
    const statuses = results.map((r) => (r.status === "rejected" ? (r.reason as { status: number }).status : 200));
    expect(statuses.filter((s) => s === 401)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
  });
});

describe("the throttle per address", () => {
  it("stops sign-ins from an address after 20 failures in 15 minutes over any names, the right password too, and not elsewhere", async () => {
    // Later than the other tests' failures, which are then outside the window.
    const start = new Date("2027-01-10T02:00:00Z");
    let seconds = 0;
    setClock(() => new Date(start.getTime() + seconds * 1000));
    const ip = "203.0.113.7";
    const attempt = (username: string, password = "bad", from = ip) =>
      signIn({ username, password, ip: from }).then(
        () => 200,
        (e) => e,
      );
    // Four wrong passwords on each of four accounts (none of them locked by its own count), then unknown names.
    for (const username of ["tis", "developer", "contractor", "supervisor"])
      for (let i = 0; i < 4; i++, seconds += 5) expect(await attempt(username)).toMatchObject({ status: 401 });
    for (let i = 0; i < 2; i++, seconds += 5) expect(await attempt(`nobody-${i}`)).toMatchObject({ status: 401 });
    // A name no account can have is a failure like any other.
    expect(await attempt("n".repeat(65))).toMatchObject({ status: 401 });
    seconds += 5;
    // The twentieth failure stops the address until the first of them is 15 minutes old (02:15).
    const message = "您所在的网络登录失败次数过多，已暂停从该网络登录，请于 10:15 后再试";
    expect(await attempt("nobody-3")).toMatchObject({ status: 429, message });
    expect(await attempt("insurer", DEMO_PASSWORD)).toMatchObject({ status: 429, message });
    // Whatever is typed: the address is refused before anything is checked (or hashed).
    expect(await attempt("n".repeat(65), DEMO_PASSWORD)).toMatchObject({ status: 429, message });
    expect(await attempt("insurer", "p".repeat(1025))).toMatchObject({ status: 429, message });
    // Another address, and the same account from it, are not held.
    expect(await attempt("insurer", DEMO_PASSWORD, "203.0.113.8")).toBe(200);
    expect(await attempt("insurer", DEMO_PASSWORD, null as never)).toBe(200);
    // A success from the address does not reset its count: the same refusal until 02:15.
    seconds = 14 * 60 + 59;
    expect(await attempt("insurer", DEMO_PASSWORD)).toMatchObject({ status: 429 });
    seconds = 15 * 60 + 1;
    expect(await attempt("insurer", DEMO_PASSWORD)).toBe(200);

    const locks = await db()
      .select({ subjectId: auditEvents.subjectId, ip: auditEvents.ip })
      .from(auditEvents)
      .where(eq(auditEvents.action, "auth.address_locked"));
    expect(locks).toEqual([{ subjectId: ip, ip }]);
    // (The first test signed the insurer in once before.)
    expect((await auditActions("insurer")).slice(1)).toEqual([
      "auth.login_refused_address",
      "auth.login_refused_address",
      "auth.login",
      "auth.login",
      "auth.login_refused_address",
      "auth.login",
    ]);
  });
});

describe("a session", () => {
  /** Moves the platform's clock to `minutes` after `start`. */
  function clockAt(start: string) {
    const at = { minutes: 0 };
    setClock(() => new Date(new Date(start).getTime() + at.minutes * 60_000));
    return at;
  }
  const alive = async (sessionId: string) => (await sessionActor(db(), sessionId, null)) !== null;

  it("ends after 30 minutes without a request, and not while requests keep coming", async () => {
    const at = clockAt("2027-02-01T01:00:00Z");
    const { sessionId } = await signIn({ username: "regulator", password: DEMO_PASSWORD, ip: null });
    at.minutes = 29;
    expect(await alive(sessionId)).toBe(true);
    at.minutes = 58;
    expect(await alive(sessionId)).toBe(true);
    at.minutes = 88.02;
    expect(await alive(sessionId)).toBe(false);
    expect(await db().select().from(sessions).where(eq(sessions.id, sessionId))).toHaveLength(0);
    at.minutes = 89;
    expect(await alive(sessionId)).toBe(false);
  });

  it("ends 12 hours after sign-in however busy its user", async () => {
    const at = clockAt("2027-02-02T01:00:00Z");
    const { sessionId } = await signIn({ username: "reinsurer", password: DEMO_PASSWORD, ip: null });
    for (at.minutes = 20; at.minutes < 12 * 60; at.minutes += 20) expect(await alive(sessionId), `${at.minutes} min`).toBe(true);
    at.minutes = 12 * 60 + 0.02;
    expect(await alive(sessionId)).toBe(false);
  });

  it("ends for every copy when its user signs out", async () => {
    const { actor, sessionId } = await signIn({ username: "hotline", password: DEMO_PASSWORD, ip: null });
    const other = await signIn({ username: "hotline", password: DEMO_PASSWORD, ip: null });
    await signOut(sessionId, actor);
    expect(await alive(sessionId)).toBe(false);
    // The user's session on another device is another session: it stays.
    expect(await alive(other.sessionId)).toBe(true);
  });

  it("a new password ends the user's other sessions; an administrator setting their own keeps the one it was done from", async () => {
    const admin = await signIn({ username: "admin", password: DEMO_PASSWORD, ip: null });
    const adminElsewhere = await signIn({ username: "admin", password: DEMO_PASSWORD, ip: null });
    const insurer = await signIn({ username: "insurer-pingan", password: DEMO_PASSWORD, ip: null });
    await resetPassword(admin.actor, insurer.actor.userId!, { password: "Pingan2027x" }, admin.sessionId);
    expect(await alive(insurer.sessionId)).toBe(false);
    await resetPassword(admin.actor, admin.actor.userId!, { password: "Admin2027x" }, admin.sessionId);
    expect(await alive(admin.sessionId)).toBe(true);
    expect(await alive(adminElsewhere.sessionId)).toBe(false);
  });
});

describe("a disabled user", () => {
  it("cannot sign in, and loses the sessions already open", async () => {
    const { sessionId } = await signIn({ username: "repairer", password: DEMO_PASSWORD, ip: null });
    const admin = await demoActor("admin");
    const repairer = await demoActor("repairer");
    await setUserStatus(admin, repairer.userId!, "disabled");
    expect(await db().select().from(sessions).where(eq(sessions.id, sessionId))).toHaveLength(0);
    expect(await sessionActor(db(), sessionId, null)).toBeNull();
    await expect(signIn({ username: "repairer", password: DEMO_PASSWORD, ip: null })).rejects.toMatchObject({
      status: 401,
      message: "该账号已停用，请联系平台管理员",
    });
    await setUserStatus(admin, repairer.userId!, "active");
    await expect(signIn({ username: "repairer", password: DEMO_PASSWORD, ip: null })).resolves.toBeTruthy();
  });
});
