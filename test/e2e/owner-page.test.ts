import { describe, expect, it } from "vitest";
import { browserAvailable, chooseOption, PHONE, pickOption, useBrowser } from "../support/browser";
import { textCount } from "../support/form-page";
import { policy, registration } from "../support/insurance";
import { callAs, closeClaimOverHttp } from "../support/claims-http";
import { apiOverHttp, signInOverHttp, useCluster } from "../support/platform";
import { unitsWorkbook } from "../support/units";
import { demoCreditCode } from "../support/workflow";

// The owners' page and the hotline console as their users see them: the hotline finds a caller by
// phone and reports for them; the owner, on a phone and without an account, finds the home and
// its cover, then follows the claim by its number and phone.

const cluster = useCluster({ env: { LOG_LEVEL: "info" } });
const url = () => cluster().url;
const { as, newPage, pageErrors } = useBrowser(url);

const COMMUNITY = "业主页面花园";
const OWNER = "13966660001";

type Instance = { id: string; businessKey: string; openTasks: { id: string }[] };

/** A PICC project insured through the review with two homes imported by the developer, as their systems would send them. */
async function deliveredProject(): Promise<void> {
  const insurer = await signInOverHttp(url(), "insurer");
  const regulator = await signInOverHttp(url(), "regulator");
  const api = <T>(cookie: string, method: string, path: string, body?: unknown) => apiOverHttp<T>(url(), cookie, method, path, body);
  const review = await api<Instance>(insurer, "POST", "/api/v1/processes/insurance-review/instances", { title: "业主页面项目" });
  const steps: [string, unknown][] = [
    [insurer, registration({ permitNo: "KM-OWNER-E2E-1", name: COMMUNITY, communityName: COMMUNITY })],
    [insurer, policy({ policyNo: "PICC-OWNER-E2E-1", tisCreditCode: demoCreditCode("tis-yjk") })],
    [regulator, { decision: "confirm" }],
  ];
  for (const [cookie, submission] of steps) {
    const { openTasks } = await api<Instance>(cookie, "GET", `/api/v1/instances/${review.id}`);
    await api(cookie, "POST", `/api/v1/tasks/${openTasks[0].id}/complete`, { submission });
  }
  const developer = await signInOverHttp(url(), "developer");
  const rows = [
    ["3", "2", "1501", 98.5, "张三", OWNER],
    ["3", "2", "1502", 98.5, "李四", "13966660002"],
    // The same room number in other units and buildings, and a room whose number ends another's.
    ["3", "1", "1501", 98.5, "", ""],
    ["1", "2", "1501", 98.5, "", ""],
    ["3", "2", "501", 98.5, "", ""],
  ];
  const form = new FormData();
  const bytes = await unitsWorkbook(rows);
  form.append("file", new Blob([bytes as Uint8Array<ArrayBuffer>]), "房屋清单.xlsx");
  const response = await fetch(`${url()}/projects/${review.businessKey}/units`, {
    method: "POST",
    headers: { Cookie: developer, Origin: url() },
    body: form,
  });
  if (response.status !== 200) throw new Error(`units: ${response.status} ${await response.text()}`);
}

describe.skipIf(!browserAvailable)("the owners' page and the hotline console", () => {
  /** Sessions of the staff who take a claim to 结案. */
  async function claimStaff() {
    const [insurer, repairer, hotline] = await Promise.all(["insurer", "repairer", "hotline"].map((u) => signInOverHttp(url(), u)));
    return { insurer, repairer, hotline };
  }

  /** The owner, on a phone, following a closed claim on /owner: its card, once it offers 服务评价. */
  async function followedForRating(claimNumber: string) {
    const owner = await newPage(PHONE);
    await owner.goto(`${url()}/owner`);
    await owner.getByLabel("案件号").fill(claimNumber);
    await owner.getByLabel("手机号").fill(OWNER);
    await owner.getByRole("button", { name: "查询", exact: true }).click();
    const followed = owner.getByTestId("followed-claim");
    await expect.poll(() => followed.getByText("服务评价").isVisible()).toBe(true);
    return followed;
  }

  let number = "";
  let claimId = "";

  /** A claim reported through the API on a home of the first claim's project, taken to 结案: its number. */
  async function closedClaimOn(home: string, description: string): Promise<string> {
    const who = await claimStaff();
    const first = (await callAs(url(), who.insurer, `/api/v1/claims/${claimId}`)).body as { projectId: string };
    const homes = await apiOverHttp<{ rows: { id: string; label: string }[] }>(
      url(),
      who.insurer,
      "GET",
      `/api/v1/projects/${first.projectId}/units`,
    );
    const reported = await callAs(url(), who.insurer, "/api/v1/claims", {
      method: "POST",
      json: {
        unitId: homes.rows.find((h) => h.label === home)!.id,
        part: "plumbing",
        description,
        reporterName: "张三",
        reporterPhone: OWNER,
      },
    });
    const { number: closed, instanceId } = reported.body as { number: string; instanceId: string };
    await closeClaimOverHttp(url(), who, instanceId);
    return closed;
  }

  it("the hotline finds the caller by phone, opens the home and reports for them", async () => {
    await deliveredProject();
    const hotline = await as("hotline");
    await hotline.getByLabel("来电查询", { exact: true }).fill("139 6666 0001");
    await hotline.getByRole("button", { name: "查询" }).first().click();
    await expect.poll(() => hotline.getByText("业主：张三 13966660001").isVisible()).toBe(true);
    await hotline.getByRole("link", { name: "查看房屋" }).click();
    const home = hotline.getByTestId("caller-home");
    await expect.poll(() => home.getByText(`${COMMUNITY} 3栋2单元1501`).first().isVisible()).toBe(true);
    // The chosen home is marked in the list, and its card is brought into view.
    expect(await hotline.getByTestId("caller-home-row").getAttribute("aria-current")).toBe("true");
    expect(await hotline.getByText("已打开，见下方").isVisible()).toBe(true);
    await expect.poll(() => home.evaluate((card) => card.getBoundingClientRect().top < window.innerHeight / 2)).toBe(true);
    await expect.poll(() => home.getByText("中国人民财产保险股份有限公司昆明市分公司").isVisible()).toBe(true);

    await home.getByRole("button", { name: "提交报案" }).click();
    await expect.poll(() => home.getByText("请选择缺陷部位").first().isVisible()).toBe(true);
    await pickOption(hotline, "缺陷部位", "防水渗漏");
    // A description over its limit is said as it is typed, and kept as typed: nothing is cut.
    await home.getByLabel("缺陷描述").fill("渗".repeat(2001));
    await expect.poll(() => home.getByText("缺陷描述不能超过2000个字").isVisible()).toBe(true);
    expect(await home.getByLabel("缺陷描述").inputValue()).toHaveLength(2001);
    expect(await textCount(hotline, "缺陷描述").innerText()).toBe("2001 / 2000");
    await home.getByLabel("缺陷描述").fill("主卧外墙渗水");
    await home.getByLabel("来电人").fill("张三");
    // A US number typed without "+" is no mainland mobile: said by the field's label as it is typed.
    await home.getByLabel("来电号码").fill("1415 555 0100");
    await expect.poll(() => home.getByText("来电号码应为中国大陆11位手机号").isVisible()).toBe(true);
    await home.getByLabel("来电号码").fill(OWNER);
    await home.getByLabel("估计维修费用").fill("很多");
    await expect.poll(() => home.getByText("估计维修费用应为数字").isVisible()).toBe(true);
    await home.getByLabel("估计维修费用").fill("1500");
    await home.getByRole("button", { name: "提交报案" }).click();
    const row = home.locator("tr.ant-table-row").filter({ hasText: "防水渗漏" });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain("服务热线代报");
    number = (await row.getByRole("link", { name: /^LP\d{6}$/ }).innerText()).trim();
    // The toast names the claim; the next report on the home is warned of it while it is open.
    expect(await hotline.getByText(`报案已提交，案件号 ${number}`).isVisible()).toBe(true);
    expect(await home.getByText(`该房屋已有未结案件 ${number}`).isVisible()).toBe(true);
    const href = await row.getByRole("link", { name: number }).getAttribute("href");
    expect(href).toMatch(/^\/claims\/[0-9a-f-]{36}$/);
    claimId = href!.slice("/claims/".length);
  });

  it("the hotline finds a home by its address as the caller gives it: building and unit shown, those named first", async () => {
    const hotline = await as("hotline");
    const search = async (q: string) => {
      await hotline.getByLabel("来电查询", { exact: true }).fill(q);
      await hotline.getByRole("button", { name: "查询" }).first().click();
      // Remix moves the address once the new answer is in.
      await hotline.waitForURL((u) => u.searchParams.get("q") === q);
    };
    // The rows shown (the new answer may render a moment after the address moved).
    const shown = async () =>
      (await hotline.getByTestId("caller-home-row").allInnerTexts()).map((text) =>
        text
          .replace(/\s+/g, " ")
          .replace(/ 业主.*$/, "")
          .trim(),
      );
    await search(`${COMMUNITY} 3-2-1501`);
    await expect
      .poll(shown)
      .toEqual([
        `${COMMUNITY} 3栋 2单元 1501`,
        `${COMMUNITY} 3栋 1单元 1501 楼栋或单元与查询不符`,
        `${COMMUNITY} 1栋 2单元 1501 楼栋或单元与查询不符`,
      ]);
    await search(`${COMMUNITY}3号楼2单元501室`);
    await expect.poll(shown).toEqual([`${COMMUNITY} 3栋 2单元 501`]);
    // Homes found: no empty projects' list beneath them.
    expect(await hotline.getByText("暂无数据").count()).toBe(0);
    // An address without its community: said what was not found, and what to add.
    await hotline.getByLabel("来电查询", { exact: true }).fill("2栋1单元501");
    await hotline.getByRole("button", { name: "查询" }).first().click();
    await expect
      .poll(() => hotline.getByText("未找到与“2栋1单元501”匹配的房屋或项目。查找房屋请在楼栋房号前加上小区或项目名称").isVisible())
      .toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it("the hotline picks a home by 小区 → 楼栋 → 房号, the community found as its name is typed", async () => {
    const hotline = await as("hotline");
    const communities = hotline.getByRole("combobox").and(hotline.getByLabel("小区", { exact: true }));
    // Typed in part: the server finds it among the city's communities (the page carries only a few).
    await communities.fill("页面花");
    const found = hotline.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: COMMUNITY });
    await expect.poll(() => found.count()).toBe(1);
    await found.click();
    await communities.fill("没有这个小区的名字");
    await expect.poll(() => hotline.getByText("未找到该小区，请核对名称").isVisible()).toBe(true);
    // Leaving the field closes the list (antd's Escape closes only a list with options in it).
    await communities.press("Tab");
    await expect.poll(() => hotline.locator(".ant-select-dropdown:visible").count()).toBe(0);
    // What was typed and not chosen leaves the chosen community as it was.
    await expect.poll(() => hotline.locator(".ant-select").filter({ has: communities }).innerText()).toContain(COMMUNITY);
    await pickOption(hotline, "楼栋", "3栋");
    await pickOption(hotline, "房号", "3栋2单元1501");
    await hotline.waitForURL((u) => u.searchParams.has("unit"));
    const home = hotline.getByTestId("caller-home");
    await expect.poll(() => home.getByText(`${COMMUNITY} 3栋2单元1501`).first().isVisible()).toBe(true);
    expect(await home.innerText()).toContain("业主：张三 13966660001");

    // Reloaded, the picker shows the home that is open, and its lists are there for the next choice.
    await hotline.reload();
    const shown = (label: string) =>
      hotline.locator(".ant-select").filter({ has: hotline.getByRole("combobox").and(hotline.getByLabel(label, { exact: true })) });
    await expect.poll(() => shown("小区").innerText()).toContain(COMMUNITY);
    await expect.poll(() => shown("楼栋").innerText()).toBe("3栋");
    await expect.poll(() => shown("房号").innerText()).toBe("3栋2单元1501");
    const opened = hotline.url();
    // Another room of the same building: the home card follows (the page broke on a second home).
    await pickOption(hotline, "房号", "3栋1单元1501");
    await hotline.waitForURL((u) => u.href !== opened);
    await expect.poll(() => home.getByText(`${COMMUNITY} 3栋1单元1501`).first().isVisible()).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it("the owner's room picker finds a room whole as it is typed: 501 is not 1501", async () => {
    const owner = await newPage(PHONE);
    await owner.goto(`${url()}/owner`);
    await chooseOption(owner, "小区", COMMUNITY);
    await chooseOption(owner, "楼栋", "3栋");
    const rooms = owner.getByRole("combobox", { name: "房号", exact: true });
    const offered = async (typed: string) => {
      await rooms.fill(typed);
      const options = owner.getByRole("listbox", { name: "房号" }).getByRole("option");
      await expect.poll(() => options.count()).toBeGreaterThan(0);
      return options.allInnerTexts();
    };
    expect(await offered("501")).toEqual(["3栋2单元501"]);
    expect(await offered("2单元15")).toEqual(["3栋2单元1501", "3栋2单元1502"]);
    expect(await offered("1-1501")).toEqual(["3栋1单元1501"]);
    // The arrows move through the list: the option reached is said (aria-activedescendant) and in sight.
    await rooms.fill("");
    const list = owner.getByRole("listbox", { name: "房号" });
    await expect.poll(() => list.getByRole("option").count()).toBe(4);
    for (let i = 0; i < 3; i++) await rooms.press("ArrowDown");
    const reached = await rooms.getAttribute("aria-activedescendant");
    const option = owner.locator(`[id="${reached}"]`);
    expect(await option.getAttribute("role")).toBe("option");
    const reachedText = (await list.getByRole("option").allInnerTexts())[3];
    expect(await option.innerText()).toBe(reachedText);
    const inSight = await option.evaluate((li) => {
      const box = li.getBoundingClientRect();
      const view = li.parentElement!.getBoundingClientRect();
      return box.top >= view.top && box.bottom <= view.bottom;
    });
    expect(inSight).toBe(true);
    // Typed into the box once a room is chosen, the typing replaces the room shown (not added to it).
    await rooms.press("Enter");
    await expect.poll(() => rooms.inputValue()).toBe(reachedText);
    await rooms.pressSequentially("1502");
    expect(await rooms.inputValue()).toBe("1502");
    await expect.poll(() => list.getByRole("option").allInnerTexts()).toEqual(["3栋2单元1502"]);
    expect(pageErrors).toEqual([]);
  });

  it("the owner's 小区 box offers no older list for newer text, and says when the finder cannot be reached", async () => {
    const owner = await newPage(PHONE);
    await owner.goto(`${url()}/owner`);
    const box = owner.getByRole("combobox", { name: "小区", exact: true });
    const list = owner.getByRole("listbox", { name: "小区" });
    await box.click();
    await expect.poll(() => list.getByRole("option").count()).toBeGreaterThan(0);
    // The answer held back: the list waits for it, and Enter meanwhile chooses nothing.
    let held = true;
    await owner.route("**/owner/homes?*", async (route) => {
      while (held) await new Promise((resolve) => setTimeout(resolve, 50));
      await route.continue();
    });
    await box.fill("页面花");
    await expect.poll(() => list.innerText()).toBe("加载中…");
    await box.press("Enter");
    expect(await owner.getByRole("combobox", { name: "楼栋", exact: true }).isDisabled()).toBe(true);
    held = false;
    await box.fill("页面花园");
    await expect.poll(() => list.getByRole("option").allInnerTexts()).toEqual([COMMUNITY]);
    // Out of reach: said so, not "not found".
    await owner.unroute("**/owner/homes?*");
    await owner.route("**/owner/homes?*", (route) => route.abort());
    await box.fill("页面");
    await expect.poll(() => list.innerText()).toBe("网络不通，请检查网络后重试");
    expect(pageErrors).toEqual([]);
  });

  it("before its scripts arrive, the owners' page shows its forms as loading, not usable", async () => {
    const owner = await newPage(PHONE);
    let release = () => {};
    const arrived = new Promise<void>((resolve) => (release = resolve));
    await owner.route("**/*.js", async (route) => {
      await arrived;
      await route.continue();
    });
    await owner.goto(`${url()}/owner`, { waitUntil: "domcontentloaded" });
    const query = owner.getByRole("button", { name: "查询", exact: true });
    expect(await query.isDisabled()).toBe(true);
    expect(await owner.getByLabel("案件号").isDisabled()).toBe(true);
    expect(await owner.getByRole("combobox", { name: "小区" }).isDisabled()).toBe(true);
    expect(await owner.getByLabel("消息", { exact: true }).isDisabled()).toBe(true);
    expect(await owner.getByText("页面加载中，请稍候…").count()).toBeGreaterThan(0);
    release();
    await expect.poll(() => query.isDisabled()).toBe(false);
    expect(await owner.getByLabel("案件号").isDisabled()).toBe(false);
    expect(await owner.getByText("页面加载中，请稍候…").count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("the owner, on a phone and without an account, finds the home's cover and follows the claim", async () => {
    const owner = await newPage(PHONE);
    await owner.goto(`${url()}/owner`);
    expect(await owner.getByTestId("hotline").innerText()).toMatch(/\d/);
    await chooseOption(owner, "小区", COMMUNITY);
    await chooseOption(owner, "楼栋", "3栋");
    await chooseOption(owner, "房号", "3栋2单元1501");
    const coverage = owner.getByTestId("coverage");
    await expect.poll(() => coverage.getByText("中国人民财产保险股份有限公司昆明市分公司").isVisible()).toBe(true);
    expect(await coverage.getByTestId("part-state").allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(在保|未起保|已到期)$/)]),
    );
    expect(await owner.locator("body").innerText()).not.toContain("张三");
    expect(await owner.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await owner.getByLabel("案件号").fill(number);
    await owner.getByLabel("手机号").fill("13966660002");
    await owner.getByRole("button", { name: "查询", exact: true }).click();
    await expect.poll(() => owner.getByText("案件号或手机号不正确，请核对后重试").isVisible()).toBe(true);
    await owner.getByLabel("手机号").fill(OWNER);
    await owner.getByRole("button", { name: "查询", exact: true }).click();
    const followed = owner.getByTestId("followed-claim");
    await expect.poll(() => followed.getByText("已报案").isVisible()).toBe(true);
    expect(await followed.innerText()).toContain("3栋2单元1501");
    expect(await followed.innerText()).toContain("报案");
    expect(await owner.getByTestId("owner-chat").innerText()).toContain("在线报修与咨询");
    // Asked again with a wrong phone, the claim shown before goes (a shared device shows nobody's claim under the error).
    await owner.getByLabel("手机号").fill("13966660002");
    await owner.getByRole("button", { name: "查询", exact: true }).click();
    await expect.poll(() => owner.getByText("案件号或手机号不正确，请核对后重试").isVisible()).toBe(true);
    expect(await followed.count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("answers hostile input to the public routes with Chinese 4xx, never a server error", async () => {
    const post = async (body: string, type = "application/json") => {
      const response = await fetch(`${url()}/owner?index&_data=${encodeURIComponent("routes/owner._index")}`, {
        method: "POST",
        headers: { "Content-Type": type, Origin: url() },
        body,
      });
      return { status: response.status, body: (await response.json()) as { message: string; fields?: Record<string, string> } };
    };
    const wrongTypes = await post(JSON.stringify({ intent: "follow", number: 5, phone: ["13966660001"] }));
    expect(wrongTypes.status).toBe(422);
    // Sent, but as something else: in the wrong format, not missing.
    expect(wrongTypes.body.fields).toMatchObject({ number: "案件号格式不正确，如 LP000123", phone: "手机号格式不正确" });
    expect((await post(JSON.stringify({ intent: "follow", number: "LP1\u0000", phone: OWNER }))).status).toBe(422);
    expect((await post(JSON.stringify({ intent: "follow", number: "LP1", phone: "1".repeat(20_000) }))).status).toBe(413);
    expect((await post("intent=follow&number=LP999999&phone=13966660001", "application/x-www-form-urlencoded")).body.message).toBe(
      "案件号或手机号不正确，请核对后重试",
    );
    expect((await post("not json")).status).toBe(422);
    expect((await post(JSON.stringify({ intent: "rate", number, phone: OWNER, stars: "五" }))).status).toBe(409);
    expect((await post(JSON.stringify({ intent: "drop" }))).status).toBe(422);
    for (const query of ["projectId=abc", "unitId=%00", `building=${"x".repeat(500)}&projectId=00000000-0000-4000-8000-000000000000`]) {
      const response = await fetch(`${url()}/owner/homes?${query}`);
      expect(response.status, query).toBe(422);
      expect(await response.text()).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("the owner rates the closed claim: a code locked by wrong tries is said to be spent, naming the page's button", async () => {
    const who = await claimStaff();
    const { instanceId } = (await callAs(url(), who.insurer, `/api/v1/claims/${claimId}`)).body as { instanceId: string };
    await closeClaimOverHttp(url(), who, instanceId);
    const followed = await followedForRating(number);
    await followed.getByRole("button", { name: "获取验证码" }).click();
    const note = followed.getByTestId("code-note");
    await expect.poll(() => note.innerText()).toMatch(/^验证码已发送至 139\*\*\*\*0001，\d{2}:\d{2} 前有效$/);
    await followed.getByRole("radio").nth(3).click();
    for (let i = 0; i < 5; i++) {
      await followed.getByLabel("短信验证码").fill(`00000${i}`);
      await followed.getByRole("button", { name: "提交评价" }).click();
      // The last try is said to be the last.
      const said = i < 3 ? `还可以再试 ${4 - i} 次。` : i === 3 ? "还可以再试 1 次，再错将失效。" : "验证码错误次数过多";
      await expect.poll(() => followed.getByText(said).isVisible()).toBe(true);
    }
    // Spent: said so, with the button the page has, and never again "sent, valid until".
    expect(await followed.getByText("验证码错误次数过多，已失效。请点击“获取验证码”。").isVisible()).toBe(true);
    expect(await followed.getByText("验证码已发送至").count()).toBe(0);
    // Typing in the field again does not bring the old note back.
    await followed.getByLabel("短信验证码").fill("1");
    expect(await followed.getByText("验证码错误次数过多，已失效。请点击“获取验证码”。").isVisible()).toBe(true);
    expect(await followed.getByText("验证码已发送至").count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("once rated, a claim shows the stars given, read-only, on the page and in the hotline's list", async () => {
    const rated = await closedClaimOn("3栋2单元1501", "厨房下水管接口渗漏");
    const followed = await followedForRating(rated);
    const log = cluster().processes[0].log();
    await followed.getByRole("button", { name: "获取验证码" }).click();
    await expect.poll(() => followed.getByTestId("code-note").innerText()).toMatch(/^验证码已发送至/);
    // The code as the log carries it (no SMS provider here), once it is written.
    const codeSent = () =>
      new RegExp(`"phone":"${OWNER}","code":"(\\d{6})"`).exec(cluster().processes[0].log().slice(log.length))?.[1] ?? "";
    await expect.poll(codeSent).toMatch(/^\d{6}$/);
    await followed.getByRole("radio").nth(3).click();
    await followed.getByLabel("短信验证码").fill(codeSent());
    await followed.getByRole("button", { name: "提交评价" }).click();
    const given = followed.getByTestId("given-rating");
    await expect.poll(() => given.count()).toBe(1);
    // The four stars given, shown read-only: no picker to fill in again, nothing to submit.
    expect(await given.getByRole("img", { name: "4星" }).isVisible()).toBe(true);
    expect(await given.getByRole("radio").count()).toBe(0);
    expect(await followed.getByRole("button", { name: "提交评价" }).count()).toBe(0);
    expect(await given.innerText()).toContain("感谢您的评价");

    // Followed again later, on a new visit: the same stars, nothing to fill in.
    const later = await followedForRating(rated);
    await expect.poll(() => later.getByTestId("given-rating").getByRole("img", { name: "4星" }).count()).toBe(1);
    expect(await later.getByRole("button", { name: "提交评价" }).count()).toBe(0);

    const hotline = await as("hotline");
    await hotline.getByLabel("来电查询", { exact: true }).fill(rated);
    await hotline.getByRole("button", { name: "查询" }).first().click();
    const ratedRow = hotline.locator("tr.ant-table-row").filter({ hasText: rated });
    await expect.poll(() => ratedRow.locator(".ant-rate-disabled .ant-rate-star-full").count()).toBe(4);
    expect(pageErrors).toEqual([]);
  });

  it("the hotline rates a closed claim for its caller, told 评价已记录 as the button turns into the stars", async () => {
    const closed = await closedClaimOn("3栋2单元1502", "卫生间地漏返水");
    /** A tab of the hotline with the claim's 代业主评价 open, its stars ready to click. */
    const rating = async () => {
      const tab = await as("hotline");
      await tab.getByLabel("来电查询", { exact: true }).fill(closed);
      await tab.getByRole("button", { name: "查询" }).first().click();
      const row = tab.locator("tr.ant-table-row").filter({ hasText: closed });
      await row.getByRole("button", { name: "代业主评价" }).click();
      const dialog = tab.getByRole("dialog", { name: `代业主评价：${closed}` });
      await expect.poll(() => dialog.getByRole("radio").count()).toBe(5);
      return { tab, row, dialog };
    };
    // Two agents (two tabs) on the same call: the first rates it, the second is told it was.
    const first = await rating();
    const second = await rating();
    await first.dialog.getByRole("radio").nth(4).click();
    await first.dialog.getByRole("button", { name: "提交评价" }).click();
    await expect.poll(() => first.tab.getByText("评价已记录").isVisible()).toBe(true);
    await expect.poll(() => first.row.locator(".ant-rate-disabled .ant-rate-star-full").count()).toBe(5);
    expect(await first.row.getByRole("button", { name: "代业主评价" }).count()).toBe(0);
    await second.dialog.getByRole("radio").nth(1).click();
    await second.dialog.getByRole("button", { name: "提交评价" }).click();
    await expect.poll(() => second.tab.getByText("该案件已评价").isVisible()).toBe(true);
    await expect.poll(() => second.row.locator(".ant-rate-disabled .ant-rate-star-full").count()).toBe(5);
    expect(pageErrors).toEqual([]);
  });
});
