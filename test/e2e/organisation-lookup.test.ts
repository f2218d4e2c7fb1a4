import { describe, expect, it } from "vitest";
import { demoCreditCode } from "~/demo/demo-organisations";
import { browserAvailable, useBrowser } from "../support/browser";
import { usePlatform } from "../support/platform";

// 录入报建信息 with the platform's register at hand: a known credit code brings its organisation's
// name, a name brings the organisation's code, an unknown code says what will happen to it.

const { url } = usePlatform();
const { as, pageErrors } = useBrowser(url);

describe.skipIf(!browserAvailable)("credit codes looked up as they are typed", () => {
  it("a known code fills in the developer's name; a name offers the contractor and fills in its code; an unknown code is announced", async () => {
    const insurer = await as("insurer", "/projects");
    await insurer.getByRole("button", { name: "新建承保项目" }).click();
    await insurer.waitForURL(/\/tasks\//);

    await insurer.getByLabel("建设单位统一社会信用代码", { exact: true }).fill(demoCreditCode("dev-dc"));
    await expect.poll(() => insurer.getByLabel("建设单位名称", { exact: true }).inputValue()).toBe("昆明滇池湾置业有限公司");
    expect(await insurer.getByText("平台登记单位：昆明滇池湾置业有限公司").count()).toBe(1);

    await insurer.getByLabel("施工单位名称", { exact: true }).fill("第三建筑");
    const option = insurer.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: "昆明第三建筑工程有限公司" });
    await option.click();
    await expect.poll(() => insurer.getByLabel("施工单位统一社会信用代码", { exact: true }).inputValue()).toBe(demoCreditCode("con-km3"));
    expect(await insurer.getByLabel("施工单位名称", { exact: true }).inputValue()).toBe("昆明第三建筑工程有限公司");

    // A code of another type says whose it is, before the server would.
    await insurer.getByLabel("监理单位统一社会信用代码", { exact: true }).fill(demoCreditCode("con-yj2"));
    await expect
      .poll(() => insurer.getByText("该信用代码登记的是施工单位“云南建设投资第二建筑工程有限公司”，不是监理单位").count())
      .toBe(1);

    await insurer.getByLabel("勘察设计单位统一社会信用代码", { exact: true }).fill("91530100MA6K0P002C");
    await expect.poll(() => insurer.getByText("平台登记库中未找到该单位，提交后将作为待审核单位登记").count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it("the lookup answers only a signed-in user", async () => {
    const response = await fetch(`${url()}/api/v1/organisations/lookup?q=${encodeURIComponent("置业")}`);
    expect(response.status).toBe(401);
    expect((await response.json()).message).toBe("未登录，请先登录或提供接口密钥");
  });
});
