import type { CoveragePart, UnitCoverage } from "~/server/claims/coverage.server";
import { BACK, TO_MENU } from "./texts";
import { stay, text, to, type Services, type StepOf, type Transition } from "./transition";
import type { DialogueState, Reply } from "./types";

// 查询房屋保障: which insurer covers the home, how to report, and each coverage group's period and
// whether it is in force today.

export async function promptCoverageUnit(state: DialogueState, services: Services): Promise<Reply> {
  const units = await services.ownerUnits(state.phone!);
  return {
    text: "请选择要查询的房屋：",
    // cover:<home> shows that home's cover from any message, however old the list.
    choices: [...units.map((u) => ({ value: `cover:${u.id}`, label: `${u.communityName} ${u.label}` })), BACK],
  };
}

export async function onCoverageUnit(state: DialogueState): Promise<Transition> {
  return stay(state, text("请点击下方按钮选择房屋。"));
}

/** A home's cover, named by its button; the prompt finds it among the owner's own homes or says it is not theirs. */
export function openCoverage(state: DialogueState, unitId: string): Transition {
  return to(state, { at: "coverage", unitId });
}

export async function promptCoverage(state: DialogueState, step: StepOf<"coverage">, services: Services): Promise<Reply> {
  const cover = await services.coverage(state.phone!, step.unitId);
  const choices = [{ value: "menu:report", label: "我要报修" }, BACK, TO_MENU];
  if (!cover) return { text: "未找到该房屋，或该房屋不在您的名下。", choices: [TO_MENU] };
  return { text: coverageText(cover, services), choices };
}

export async function onCoverage(state: DialogueState): Promise<Transition> {
  return stay(state, text("请点击下方按钮继续。"));
}

function partStatus(part: CoveragePart, cover: UnitCoverage, today: string): string {
  if (part.inForce) return "在保";
  if (today < part.start) return "未起保";
  if (cover.policy?.status === "terminated" && today <= part.end) return "已终止";
  return "已到期";
}

export function coverageText(cover: UnitCoverage, services: Services, today = services.today()): string {
  const lines = [`【${cover.project.communityName} ${cover.unit.label}】`, `承保保险公司：${cover.insurer.name}`];
  lines.push(`报案电话：${cover.insurer.phone ?? cover.hotline}`);
  if (!cover.policy) {
    lines.push(`该房屋所在项目暂无保单信息，请拨打服务热线 ${cover.hotline} 咨询。`);
    return lines.join("\n");
  }
  lines.push(`保单号：${cover.policy.policyNo}`, "保障范围：");
  for (const part of cover.parts)
    lines.push(`· ${part.label}（${part.years} 年）：${part.start} 至 ${part.end}，${partStatus(part, cover, today)}`);
  lines.push("报案流程：", ...cover.steps.map((s, i) => `${i + 1}. ${s}`), `平台服务热线：${cover.hotline}`);
  return lines.join("\n");
}
