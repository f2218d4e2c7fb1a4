import { beforeAll, describe, expect, it } from "vitest";
import { NotFoundError } from "~/server/errors.server";
import { completeTask, deployBuiltIns, startProcess } from "~/server/workflow/index.server";
import { instanceView } from "~/server/flow-views/instance-view.server";
import { taskView } from "~/server/flow-views/task-view.server";
import type { BusinessSummary } from "~/shared/business-summary";
import { demoActor } from "../support/actors";
import { useTestDatabase } from "../support/database";
import { policy, registration } from "../support/insurance";
import { theOpenTask } from "../support/workflow";

// What a task page shows beside its form: the project the flow is about, the steps done before
// it (read-only, with the form version each was made with), and why a step came back.

useTestDatabase();
beforeAll(() => deployBuiltIns());

/** The card as lines of text, section by section: what a reader sees. */
function lines(summary: BusinessSummary | null): string[] {
  return (summary?.sections ?? []).flatMap((s) => s.items.map((i) => `${i.label}：${i.text ?? i.files!.map((f) => f.name).join("、")}`));
}

describe("the context of a task (任务页的业务对象与已办环节)", () => {
  let insurer: Awaited<ReturnType<typeof demoActor>>;
  let instanceId: string;

  it("a review before its registration has no project to show, and no earlier steps", async () => {
    insurer = await demoActor("insurer");
    instanceId = (await startProcess(insurer, { key: "insurance-review", title: "新建承保项目（待录入报建信息）" })).id;
    const view = await taskView(insurer, (await theOpenTask(instanceId)).id);
    expect(view.summary).toBeNull();
    expect(view.completedSteps).toEqual([]);
  });

  it("the regulator's confirmation shows the project with its policy, shares, TIS and documents, linked to its page", async () => {
    await completeTask(insurer, (await theOpenTask(instanceId)).id, { submission: registration({ permitNo: "KM-CTX-0001" }) });
    await completeTask(insurer, (await theOpenTask(instanceId)).id, { submission: policy({ policyNo: "PICC-CTX-0001" }) });
    const regulator = await demoActor("regulator");
    const view = await taskView(regulator, (await theOpenTask(instanceId)).id);
    expect(view.summary).toMatchObject({
      kind: "项目",
      title: "滇池湾花园二期",
      href: `/projects/${view.instance.businessKey}`,
      status: { label: "待住建局确认" },
    });
    expect(lines(view.summary)).toEqual(
      expect.arrayContaining([
        "报建号：KM-CTX-0001",
        "区县：西山区",
        "项目地址：西山区广福路88号",
        "建设单位：昆明滇池湾置业有限公司",
        "保单号：PICC-CTX-0001",
        "保险期间：2028-07-01 至 2038-06-30",
        "保险金额：312,000,000.00 元",
        "保费：4,680,000.00 元",
        "费率：1.5%",
        "主承保：中国人民财产保险股份有限公司昆明市分公司 60%",
        "共保：中国太平洋财产保险股份有限公司云南分公司 40%",
        "再保险：中国财产再保险有限责任公司 30%",
        "风险管理机构：云南建科工程质量风险管理有限公司",
      ]),
    );
  });

  it("the same card is on the flow's page; a viewer outside the project's scope gets neither", async () => {
    const view = await instanceView(await demoActor("regulator"), instanceId);
    expect(view.summary?.title).toBe("滇池湾花园二期");
    await expect(instanceView(await demoActor("insurer-pingan"), instanceId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("the earlier steps come in order, each with who, when, its submission and its form", async () => {
    const view = await taskView(await demoActor("regulator"), (await theOpenTask(instanceId)).id);
    expect(view.completedSteps.map((s) => [s.name, s.by])).toEqual([
      ["录入报建信息", insurer.displayName],
      ["录入保险信息", insurer.displayName],
    ]);
    const [registered, insured] = view.completedSteps;
    expect(registered.submission).toMatchObject({ permitNo: "KM-CTX-0001" });
    expect(insured.submission).toMatchObject({ policyNo: "PICC-CTX-0001" });
    // Each with its own form, to render the submission in.
    expect(JSON.stringify(registered.schema)).toContain('"title":"报建号"');
    expect(JSON.stringify(insured.schema)).toContain('"title":"保单号"');
  });

  it("after a return, every step that comes back shows who returned it and why, until it is done again", async () => {
    const regulator = await demoActor("regulator");
    await completeTask(regulator, (await theOpenTask(instanceId)).id, {
      submission: { decision: "return", reason: "共保协议未上传" },
      comment: "请补充资料",
    });
    const registrationPage = await taskView(insurer, (await theOpenTask(instanceId)).id);
    expect(registrationPage.returned).toMatchObject({ name: "住建局确认投保", by: regulator.displayName, comment: "请补充资料" });
    expect(registrationPage.returned?.submission).toMatchObject({ reason: "共保协议未上传" });
    expect(lines(registrationPage.summary)).toContain("退回原因：共保协议未上传");

    await completeTask(insurer, registrationPage.task.id, { submission: registration({ permitNo: "KM-CTX-0001" }) });
    const policyPage = await taskView(insurer, (await theOpenTask(instanceId)).id);
    expect(policyPage.task.name).toBe("录入保险信息");
    expect(policyPage.returned).toMatchObject({ name: "住建局确认投保", by: regulator.displayName });
    expect(policyPage.returned?.submission).toMatchObject({ reason: "共保协议未上传" });
    // Its earlier steps: the latest of each, the regulator's return among them.
    expect(policyPage.completedSteps.map((s) => s.name)).toEqual(["录入报建信息", "录入保险信息", "住建局确认投保"]);

    await completeTask(insurer, policyPage.task.id, { submission: policy({ policyNo: "PICC-CTX-0001" }) });
    const confirmationPage = await taskView(regulator, (await theOpenTask(instanceId)).id);
    expect(confirmationPage.returned).toBeNull();
  });
});
