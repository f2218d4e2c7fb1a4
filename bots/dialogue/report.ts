import { randomBytes } from "node:crypto";
import { BUILDING_PARTS, type BuildingPart } from "@db/schema/building-parts";
import { ConflictError, NotFoundError, ValidationError } from "~/server/errors.server";
import { CLAIM_PART_SHORT } from "~/shared/claim-labels";
import { DESCRIPTION_MAX, ESTIMATE_MAX, REPORTER_NAME_MAX } from "~/shared/claim-limits";
import { maskPhone } from "~/shared/phone";
import { BACK, CANCEL, typedWords } from "./texts";
import { stay, text, to, type Services, type StepInput, type StepOf, type Transition } from "./transition";
import type { DialogueState, ReportDraft, ReportStage, Reply, Step } from "./types";

// 报修: unit → part → description → photos → estimate → contact name → confirm; an owner of one
// home is not asked which (the report starts at the part). 返回 goes one stage back, 取消 drops the
// draft. The phone reported with is always the verified one. The estimate is optional; given, it
// is what the claim flow's fast-track gateway reads. Leaving a report underway for something else
// (a menu word, /start, a claim's button, 返回 from its first question) asks first whether to drop it.

type ReportStep = StepOf<"report">;
type LeaveStep = StepOf<"leave">;

export const MAX_PHOTOS = 9;
const DESCRIPTION_MIN = 5;

const DONE = { value: "photos:done", label: "完成" };
const SUBMIT = { value: "report:submit", label: "确认提交" };
const NO_ESTIMATE = { value: "estimate:none", label: "不清楚，跳过" };
/** What owners type for 不清楚，跳过. */
const NO_ESTIMATE_WORDS = ["跳过", "不清楚", "不知道", "不确定"];
const STAGES: ReportStage[] = ["unit", "part", "description", "photos", "estimate", "name", "confirm"];
const PREVIOUS: Record<ReportStage, ReportStage | null> = {
  unit: null,
  part: "unit",
  description: "part",
  photos: "description",
  estimate: "photos",
  name: "estimate",
  confirm: "name",
};
/** Which stage asks again for a field the claim service refused. */
const STAGE_OF_FIELD: Record<string, ReportStage> = {
  unitId: "unit",
  part: "part",
  description: "description",
  photos: "photos",
  estimate: "estimate",
  reporterName: "name",
};

const at = (step: ReportStep, stage: ReportStage, draft: ReportDraft = step.draft): ReportStep => ({ at: "report", stage, draft });

/** A new report, named so that its buttons are its own; an owner's only home is taken as said. */
export function newReport(onlyHome?: string): ReportStep {
  const id = randomBytes(4).toString("hex");
  return onlyHome
    ? { at: "report", stage: "part", draft: { id, photos: [], unitId: onlyHome, onlyHome: true } }
    : { at: "report", stage: "unit", draft: { id, photos: [] } };
}

/** The report's first question: the home, or the part for an owner of one home. */
const firstStage = (draft: ReportDraft): ReportStage => (draft.onlyHome ? "part" : "unit");

/** 第 n 步, counted from the report's first question. */
function stepNo(stage: ReportStage, draft: ReportDraft): number {
  return STAGES.indexOf(stage) - STAGES.indexOf(firstStage(draft)) + 1;
}

export const REPORT_DROPPED = "已取消本次报修，填写的内容没有保存。";
const DROP = { value: "leave:drop", label: "放弃报修" };
const KEEP = { value: "leave:keep", label: "继续填写" };

/** Whether the chat holds a report that leaving would lose: something the owner gave (a home picked, a part…). */
export function reportUnderway(step: Step): step is ReportStep | LeaveStep {
  if (step.at === "leave") return true;
  return step.at === "report" && ((step.draft.unitId !== undefined && !step.draft.onlyHome) || step.draft.part !== undefined);
}

/** Asks whether to drop the report underway for `then`: the value of what the owner typed or pressed, or a contact card's phone. */
export function askToLeave(state: DialogueState, step: ReportStep | LeaveStep, then: LeaveStep["then"]): Transition {
  return to(state, { at: "leave", report: step.at === "leave" ? step.report : step, then });
}

export function promptLeave(): Reply {
  return { text: "您的报修还没有提交，离开后填写的内容不会保存。要放弃本次报修吗？", choices: [DROP, KEEP] };
}

/** 放弃报修 drops the report and goes where the owner asked (`proceed`); 继续填写 goes back to the report. */
export async function onLeave(
  state: DialogueState,
  step: LeaveStep,
  input: StepInput,
  proceed: (state: DialogueState, then: LeaveStep["then"]) => Promise<Transition>,
): Promise<Transition> {
  const choice = input.kind === "choice" ? input.value : null;
  if (choice === KEEP.value) return to(state, step.report);
  if (choice !== DROP.value) return stay(state, text("请点击“放弃报修”或“继续填写”。"));
  const next = await proceed({ ...state, step: { at: "menu" } }, step.then);
  return { ...next, say: [text(REPORT_DROPPED), ...(next.say ?? [])] };
}

/** 返回: one stage back; from the first question to the menu, asking first when that would drop what the owner gave. */
export function backInReport(state: DialogueState, step: ReportStep): Transition {
  const previous = step.stage === firstStage(step.draft) ? null : PREVIOUS[step.stage];
  if (previous) return to(state, at(step, previous));
  return reportUnderway(step) ? askToLeave(state, step, "nav:menu") : to(state, { at: "menu" });
}

export async function promptReport(state: DialogueState, step: ReportStep, services: Services): Promise<Reply> {
  const nav = [BACK, CANCEL];
  const { draft } = step;
  const no = `第 ${stepNo(step.stage, draft)} 步`;
  switch (step.stage) {
    case "unit": {
      const units = await services.ownerUnits(state.phone!);
      return {
        text: `报修${no}（共 7 步）：请选择有缺陷的房屋：`,
        choices: [...units.map((u) => ({ value: `unit:${u.id}`, label: `${u.communityName} ${u.label}` })), ...nav],
      };
    }
    case "part": {
      // The owner's only home, said once, where they would otherwise have picked it.
      const home = draft.onlyHome ? await homeLabel(state, draft, services) : null;
      return {
        text: home ? `报修房屋：${home}\n${no}（共 6 步）：请选择缺陷所在的部位：` : `${no}：请选择缺陷所在的部位：`,
        choices: [...BUILDING_PARTS.map((p) => ({ value: `part:${p}`, label: CLAIM_PART_SHORT[p] })), ...nav],
      };
    }
    case "description":
      return { text: `${no}：请描述缺陷情况，如具体位置、现象、出现的时间和影响：`, choices: nav };
    case "photos": {
      // Back at this step (返回 from a later one): the photos already given are kept, and said so.
      const held = draft.photos.length;
      const asked =
        held === 0
          ? `请上传缺陷照片（最多 ${MAX_PHOTOS} 张，也可以不传）。上传好后点击“完成”。`
          : held < MAX_PHOTOS
            ? `已收到 ${held} 张照片，还可以再传 ${MAX_PHOTOS - held} 张。上传好后点击“完成”。`
            : `已收到 ${held} 张照片，已达上限。请点击“完成”。`;
      return { text: `${no}：${asked}`, choices: [DONE, ...nav] };
    }
    case "estimate":
      return {
        text: `${no}：如果您大致知道维修费用，请输入估计金额（元，如 1500）；不清楚请点击“不清楚，跳过”。`,
        choices: [NO_ESTIMATE, ...nav],
      };
    case "name":
      return { text: `${no}：请输入联系人姓名（联系电话为您验证的手机号 ${maskPhone(state.phone)}）：`, choices: nav };
    case "confirm":
      return { text: await summary(state, step, `${no}：请确认报案信息：`, services), choices: [SUBMIT, ...nav] };
  }
}

/** The report's home as the owner's buttons name it, or null when it is no longer theirs. */
async function homeLabel(state: DialogueState, draft: ReportDraft, services: Services): Promise<string | null> {
  const unit = (await services.ownerUnits(state.phone!)).find((u) => u.id === draft.unitId);
  return unit ? `${unit.communityName} ${unit.label}` : null;
}

async function summary(state: DialogueState, step: ReportStep, heading: string, services: Services): Promise<string> {
  const { draft } = step;
  const home = await homeLabel(state, draft, services);
  return [
    heading,
    `房屋：${home ?? "（请重新选择）"}`,
    `部位：${draft.part ? CLAIM_PART_SHORT[draft.part] : ""}`,
    `描述：${draft.description ?? ""}`,
    `照片：${draft.photos.length} 张`,
    `估计费用：${draft.estimate == null ? "不清楚" : `${draft.estimate} 元`}`,
    `联系人：${draft.reporterName ?? ""}，${maskPhone(state.phone)}`,
    "确认无误请点击“确认提交”。",
  ].join("\n");
}

export async function onReport(state: DialogueState, step: ReportStep, input: StepInput, services: Services): Promise<Transition> {
  const { draft } = step;
  const choice = input.kind === "choice" ? input.value : null;
  const typed = input.kind === "text" ? input.text.trim() : null;
  const words = input.kind === "text" ? typedWords(input.text) : null;
  if (step.stage !== "photos" && (input.kind === "photo" || input.kind === "photo_refused")) {
    // Past the photo step with nine held (the ninth moved the chat on), a photo is one too many.
    const full = draft.photos.length >= MAX_PHOTOS;
    return stay(state, text(full ? `最多上传 ${MAX_PHOTOS} 张照片，已达上限，这张没有保存。` : "当前这一步不需要照片，请按提示操作。"));
  }
  switch (step.stage) {
    case "unit": {
      const unitId = choice?.startsWith("unit:") ? choice.slice(5) : null;
      const owned = unitId ? (await services.ownerUnits(state.phone!)).some((u) => u.id === unitId) : false;
      if (!owned) return stay(state, text("请点击下方按钮，选择您名下的房屋。"));
      return to(state, at(step, "part", { ...draft, unitId: unitId! }));
    }
    case "part": {
      const part = choice?.startsWith("part:") ? (choice.slice(5) as BuildingPart) : null;
      if (!part || !BUILDING_PARTS.includes(part)) return stay(state, text("请点击下方按钮选择缺陷部位。"));
      return to(state, at(step, "description", { ...draft, part }));
    }
    case "description": {
      if (typed === null) return stay(state, text("请用文字描述缺陷情况。"));
      if ([...typed].length < DESCRIPTION_MIN) return stay(state, text(`描述太简单了，请至少写 ${DESCRIPTION_MIN} 个字。`));
      if ([...typed].length > DESCRIPTION_MAX) return stay(state, text(`描述请不要超过 ${DESCRIPTION_MAX} 个字。`));
      return to(state, at(step, "photos", { ...draft, description: typed }));
    }
    case "photos":
      return onPhotos(state, step, input);
    case "estimate": {
      if (choice === NO_ESTIMATE.value || (words !== null && NO_ESTIMATE_WORDS.includes(words)))
        return to(state, at(step, "name", { ...draft, estimate: null }));
      const estimate = typed === null ? null : parseYuan(typed);
      if (estimate === null) return stay(state, text("请输入金额数字（元），如 1500；不清楚请点击“不清楚，跳过”。"));
      if (estimate < 1) return stay(state, text("估计金额应不少于 1 元；不清楚请点击“不清楚，跳过”。"));
      if (estimate > ESTIMATE_MAX) return stay(state, text("估计金额不能超过 1000 万元，请重新输入。"));
      return to(state, at(step, "name", { ...draft, estimate }));
    }
    case "name": {
      if (!typed) return stay(state, text("请输入联系人姓名。"));
      if ([...typed].length > REPORTER_NAME_MAX) return stay(state, text(`姓名请不要超过 ${REPORTER_NAME_MAX} 个字。`));
      return to(state, at(step, "confirm", { ...draft, reporterName: typed }));
    }
    case "confirm":
      if (choice === SUBMIT.value || words === "确认" || words === "提交") return submit(state, step, services);
      return stay(state, text("请点击“确认提交”，或点击“返回”修改。"));
  }
}

function onPhotos(state: DialogueState, step: ReportStep, input: StepInput): Transition {
  const { draft } = step;
  const more = { text: "可以继续上传，或点击“完成”进入下一步。", choices: [DONE, BACK, CANCEL] };
  if (input.kind === "choice" && input.value === DONE.value) return to(state, at(step, "estimate"));
  // At the limit a photo is not taken (a channel does not store it, or drops what it stored): the limit is why.
  const full = draft.photos.length >= MAX_PHOTOS;
  if (full && (input.kind === "photo" || (input.kind === "photo_refused" && !input.reason))) {
    const limit = `最多上传 ${MAX_PHOTOS} 张照片，已收到 ${draft.photos.length} 张，这张没有保存。请点击“完成”进入下一步。`;
    return { ...stay(state, { text: limit, choices: [DONE, BACK, CANCEL] }), quiet: true };
  }
  if (input.kind === "photo_refused") return { ...stay(state, text(input.reason ?? "这张照片没有收到，请重新上传。"), more), quiet: true };
  if (input.kind !== "photo") return stay(state, text("请上传照片，或点击“完成”进入下一步。"));
  const photos = [...draft.photos, input.photo];
  if (photos.length === MAX_PHOTOS) {
    return to(state, at(step, "estimate", { ...draft, photos }), text(`已收到 ${MAX_PHOTOS} 张照片，已达上限。`));
  }
  return {
    state: { ...state, step: at(step, "photos", { ...draft, photos }) },
    say: [text(`已收到第 ${photos.length} 张照片。`), more],
    quiet: true,
  };
}

async function submit(state: DialogueState, step: ReportStep, services: Services): Promise<Transition> {
  const { unitId, part, description, reporterName, photos, estimate = null } = step.draft;
  if (!unitId || !part || !description || !reporterName) return to(state, at(step, "unit"), text("报案信息不完整，请重新填写。"));
  try {
    const claim = await services.reportClaim(state.phone!, { unitId, part, description, reporterName, photos, estimate });
    return to(
      state,
      { at: "menu" },
      text(
        `报案成功！案件编号：${claim.number}。\n保险公司将在规定时限内受理并与您联系，案件进展会在这里通知您；也可以在“我的报案”中查看进度。`,
      ),
    );
  } catch (error) {
    // The same report again (a resent message) names the claim already made; a home no longer the owner's is not found.
    if (error instanceof ConflictError || error instanceof NotFoundError) return to(state, { at: "menu" }, text(error.message));
    if (!(error instanceof ValidationError)) throw error;
    const [field, message] = Object.entries(error.fields ?? {})[0] ?? [];
    const stage = (field && STAGE_OF_FIELD[field]) || "confirm";
    return to(state, at(step, stage), text(message ?? error.message));
  }
}

/** An amount as owners type it: 1500, 1,500, 1500元, 约1500块, 1.5万. Null when it is not one. */
export function parseYuan(typed: string): number | null {
  const plain = typed
    .replace(/[\s,，]/g, "")
    .replace(/^(大约|大概|约)/, "")
    .replace(/(元|块钱|块|人民币)$/, "");
  // Any number of digits: one too large is told the limit, not that it is no number.
  const match = /^(\d+(?:\.\d{1,2})?)(万)?$/.exec(plain);
  if (!match) return null;
  const amount = Number(match[1]) * (match[2] ? 10_000 : 1);
  return Math.round(amount * 100) / 100;
}
