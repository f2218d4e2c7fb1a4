import { beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, PHONE, useBrowser } from "../support/browser";
import { useCluster } from "../support/platform";

// The owners' web chat on the owners' page, on a phone and without an account: the greeting and
// the menu, a verified phone (the code read from the server log, where it goes without an SMS
// provider), and the owner's homes.

const cluster = useCluster({ env: { LOG_LEVEL: "info" } });
const { newPage, pageErrors } = useBrowser(() => cluster().url);
const OWNER = "13600000051";

beforeAll(async () => {
  await cluster().withSql(async (sql) => {
    const [insurer] = await sql<{ id: string }>("select id from organisations where type = 'insurer' order by name limit 1");
    const [project] = await sql<{ id: string }>(
      `insert into projects (permit_no, name, community_name, district, address, gross_floor_area, building_count, home_count,
         construction_cost, start_date, planned_completion_date, lead_insurer_id, status, stage)
       values ('KM-CHAT-E2E', '在线服务花园一期', '在线服务花园', '530102', '五华区测试路2号', 1000, 1, 10, 1000000,
         '2020-01-01', '2021-01-01', $1, 'confirmed', 'completed') returning id`,
      [insurer.id],
    );
    await sql("insert into units (project_id, building, unit_no, room, owner_phone) values ($1, '2', '1', '601', $2)", [project.id, OWNER]);
  });
});

describe.skipIf(!browserAvailable)("the owners' web chat", () => {
  it("greets, verifies the owner's phone by a texted code and lists the homes", async () => {
    const page = await newPage(PHONE);
    await page.goto(`${cluster().url}/owner`);
    const chat = page.getByRole("log", { name: "对话记录" });
    await expect.poll(() => chat.getByText("服务热线：0871-12345").isVisible()).toBe(true);
    await page.getByRole("button", { name: "验证手机号" }).click();
    await expect.poll(() => chat.getByText("请输入您在开发商处登记的业主手机号").isVisible()).toBe(true);
    await page.getByLabel("消息").fill(OWNER);
    await page.getByRole("button", { name: "发送" }).click();
    await expect.poll(() => chat.getByText("验证码已发送至 136****0051").isVisible()).toBe(true);
    const code = new RegExp(`"phone":"${OWNER}","code":"(\\d{6})"`).exec(cluster().processes[0].log())![1];
    await page.getByLabel("消息").fill(code);
    await page.getByLabel("消息").press("Enter");
    await expect.poll(() => chat.getByText("手机号 136****0051 验证成功").isVisible()).toBe(true);
    expect(await chat.getByText("在线服务花园 2栋1单元601").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "我要报修" }).isVisible()).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
