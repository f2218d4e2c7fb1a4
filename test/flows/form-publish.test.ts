import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, formDefinitions } from "@db/schema";
import { db } from "~/server/db.server";
import { formUsage, formVersion, formVersions, listForms, publishForm } from "~/server/forms/publish.server";
import { deployBuiltIns, deployDefinition, latestDefinition } from "~/server/workflow/index.server";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { startDemoApproval, theOpenTask } from "../support/workflow";

// Publishing a form as an administrator does in the form editor or over the API: a new version
// with a reason, audited; the same schema publishes nothing; which process versions and open tasks
// use each version; a new version reaches only the processes deployed after it.

useTestDatabase();
beforeAll(() => deployBuiltIns());

const request = () => JSON.parse(readFileSync("forms/demo-request.json", "utf8")) as Record<string, any>;

describe("publishing a form version with a reason", () => {
  it("publishes, audits the reason, and keeps running flows on their version", async () => {
    const admin = await demoActor("admin");
    const start = async () => (await startDemoApproval("表单发布")).instance;
    const running = await start();
    const before = (await theOpenTask(running.id)).formVersion!;

    const schema = request();
    schema.properties.amount["x-validator"] = [{ maximum: 800, message: "金额不能超过800元" }];
    const { form, created } = await publishForm(admin, { key: "demo-request", schema, reason: "金额上限改为800元", baseVersion: before });
    expect(created).toBe(true);
    expect(form).toMatchObject({ version: before + 1, reason: "金额上限改为800元", deployedByName: admin.displayName });
    const [audit] = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "form.deploy"), eq(auditEvents.subjectId, form.id)));
    expect(audit.after).toEqual({ key: "demo-request", version: before + 1, reason: "金额上限改为800元" });

    // The same schema again (keys in another order, as the editor may write it): nothing new.
    const reordered = Object.fromEntries(Object.entries(schema).reverse());
    const again = await publishForm(admin, { key: "demo-request", schema: reordered, reason: "再点一次" });
    expect(again).toMatchObject({ created: false, form: { version: before + 1 } });
    // From the version before: someone published meanwhile.
    const stale = request();
    stale.title = "演示申请（改）";
    await expect(publishForm(admin, { key: "demo-request", schema: stale, reason: "改名", baseVersion: before })).rejects.toMatchObject({
      status: 409,
    });

    // The versions list: who, when, why; the running flow's version is still in use by its task.
    const versions = await formVersions(admin, "demo-request");
    expect(versions[0]).toMatchObject({ version: before + 1, reason: "金额上限改为800元", processes: [], openTasks: 0 });
    const old = versions.find((v) => v.version === before)!;
    expect(old.processes).toEqual([expect.objectContaining({ key: "demo-approval" })]);
    expect(old.openTasks).toBeGreaterThanOrEqual(1);

    // Only a process version deployed afterwards uses it.
    const redeployed = await deployDefinition(admin, (await latestDefinition("demo-approval"))!.xml);
    expect(redeployed.formVersions["demo-request"]).toBe(before + 1);
    const usage = await formUsage(admin, "demo-request");
    expect(usage.processes).toContainEqual({
      key: "demo-approval",
      version: redeployed.version,
      name: redeployed.name,
      formVersion: before + 1,
    });
    const fresh = await start();
    expect((await theOpenTask(fresh.id)).formVersion).toBe(before + 1);
    expect((await theOpenTask(running.id)).formVersion).toBe(before);
    expect((await formVersions(admin, "demo-request"))[0].openTasks).toBeGreaterThanOrEqual(1);

    // The editor shows the stored version with its fields in order and without the platform's x-index.
    const shown = await formVersion(admin, "demo-request", before + 1);
    expect(Object.keys(shown.schema.properties as object)).toEqual(Object.keys(schema.properties));
    expect(JSON.stringify(shown.schema)).not.toContain("x-index");
  });

  it("creates a new form under a new key, once", async () => {
    const admin = await demoActor("admin");
    const schema = {
      type: "object",
      title: "回访记录",
      properties: { note: { type: "string", title: "回访情况", maxLength: 500, required: true } },
    };
    const first = await publishForm(admin, { key: "revisit-note", schema, reason: "新增回访表单", isNew: true });
    expect(first).toMatchObject({ created: true, form: { version: 1, title: "回访记录" } });
    await expect(publishForm(admin, { key: "revisit-note", schema, reason: "再建一次", isNew: true })).rejects.toMatchObject({
      status: 422,
      fields: { key: "已有标识为“revisit-note”的表单，请换一个标识，或打开该表单发布新版本" },
    });
    expect((await listForms(admin)).map((f) => f.key)).toContain("revisit-note");
  });

  it("two publishes at once take one version", async () => {
    const admin = await demoActor("admin");
    const schema = { type: "object", title: "并发", properties: { n: { type: "number", title: "数" } } };
    const both = await Promise.all([1, 2].map(() => publishForm(admin, { key: "double-submit", schema, reason: "双击" })));
    expect(both.map((p) => p.form.version)).toEqual([1, 1]);
    expect(both.filter((p) => p.created)).toHaveLength(1);
  });

  it("refuses bad input by field, and anyone but an administrator", async () => {
    const admin = await demoActor("admin");
    const insurer = await demoActor("insurer");
    const schema = request();
    await expect(publishForm(insurer, { key: "demo-request", schema, reason: "试试" })).rejects.toMatchObject({ status: 403 });
    schema.properties.amount["x-component"] = "IFrame";
    schema.properties.subject.default = "{{location.href}}";
    await expect(publishForm(admin, { key: "demo-request", schema, reason: "坏的" })).rejects.toMatchObject({
      status: 422,
      fields: { "schema.amount": "不支持的组件“IFrame”", "schema.subject.default": "表单中不允许表达式“{{location.href}}”" },
    });
    await expect(publishForm(admin, { key: "Demo Request", schema: request(), reason: " " })).rejects.toMatchObject({
      status: 422,
      fields: { key: expect.stringMatching(/^表单标识应为小写字母开头/), reason: "请填写发布原因" },
    });
    await expect(publishForm(admin, { key: "demo-request", schema: "{}", reason: 5 })).rejects.toMatchObject({
      status: 422,
      fields: { reason: "发布原因应为文字" },
    });
    await expect(publishForm(admin, { key: "demo-request", schema: [], reason: "数组" })).rejects.toMatchObject({
      status: 422,
      fields: { schema: "表单定义应为 JSON 对象" },
    });
    await expect(publishForm(admin, { key: "demo-request", schema: request(), reason: "零", baseVersion: 0 })).rejects.toMatchObject({
      status: 422,
      fields: { baseVersion: "基础版本应为正整数" },
    });
    await expect(formVersions(admin, "no-such-form")).rejects.toMatchObject({ status: 404 });
    await expect(publishForm(admin, { key: "constructor", schema: request(), reason: "保留名称", isNew: true })).rejects.toMatchObject({
      status: 422,
      fields: { key: "表单标识“constructor”是保留名称，请换一个" },
    });
  });

  it("still deploys when the database already holds a form keyed by a prototype's name", async () => {
    const admin = await demoActor("admin");
    await db()
      .insert(formDefinitions)
      .values({ key: "constructor", version: 1, title: "旧数据", schema: { type: "object" }, checksum: "x", deployedByName: "旧系统" })
      .onConflictDoNothing();
    const redeployed = await deployDefinition(
      admin,
      (await latestDefinition("demo-approval"))!.xml.replace("</bpmn:definitions>", "<!-- again --></bpmn:definitions>"),
    );
    expect(redeployed.key).toBe("demo-approval");
    // And the start-up's deployment of the built-in processes and forms.
    await deployBuiltIns();
    await db().delete(formDefinitions).where(eq(formDefinitions.key, "constructor"));
  });
});
