import type { ClaimChannel } from "@db/schema/claims";
import { DEFECTS, HOTLINE_CALLERS, RATINGS, REFUSAL_REASONS, SURNAMES, type DefectTexts } from "./demo-claims-texts";
import { demoCreditCode } from "./demo-organisations";
import { random } from "./demo-projects";

// The homes of the demo city's two delivered projects and the claims their owners reported over
// the last ten months, with every step each party took, dated in the past: deterministic, so every
// fresh start shows the same city. Pure data: seed/demo-claims-seed.ts walks
// these steps through processes/claim.bpmn.

/** The demo owner's phone: it owns homes on both delivered projects, to try the bot and the web chat with. */
export const DEMO_OWNER_PHONE = "13908710001";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

export interface DemoHome {
  building: string;
  unitNo: string;
  room: string;
  area: number;
  ownerName: string;
  ownerPhone: string;
}

/** A delivered project's homes: buildings 1–3, units 1–2, two homes a floor on 18 floors, about half of them listed. */
export function demoHomes(project: number): DemoHome[] {
  const next = random(87100 + project * 31);
  const homes: DemoHome[] = [];
  for (let building = 1; building <= 3; building++)
    for (let unitNo = 1; unitNo <= 2; unitNo++)
      for (let floor = 1; floor <= 18; floor++)
        for (let door = 1; door <= 2; door++) {
          if (next() >= 0.5) continue;
          const n = homes.length;
          const surname = SURNAMES[Math.floor(next() * SURNAMES.length)];
          homes.push({
            building: String(building),
            unitNo: String(unitNo),
            room: `${floor}${String(door).padStart(2, "0")}`,
            area: door === 1 ? [89.6, 105.3, 118.7][building - 1] : [126.4, 143.2, 98.8][building - 1],
            ownerName: `${surname}${next() < 0.5 ? "先生" : "女士"}`,
            ownerPhone: `1390871${String(project * 2000 + 100 + n).padStart(4, "0")}`,
          });
        }
  // The demo owner: two homes on the first project, one on the second.
  for (const k of project === 0 ? [3, 40] : [12]) homes[k] = { ...homes[k], ownerName: "云先生", ownerPhone: DEMO_OWNER_PHONE };
  return homes;
}

/** The step of a claim's flow a claim has come to (`surveyed`: the survey done, the decision waits). */
type End = "reported" | "accepted" | "surveyed" | "registered" | "repairing" | "confirming" | "settling" | "closed" | "declined";
type Late = "accept" | "survey" | "decide" | "repair" | "settle";

interface Fate {
  end: End;
  fast?: true;
  /** The owner sent the repair back once. */
  refused?: true;
  late?: Late;
  /** Index into RATINGS. */
  rating?: number;
  /** Reported by the demo owner on one of their homes. */
  demoOwner?: true;
}

/** Sixty claims at every step: closed ones (some fast-tracked, sent back once, late), declined ones, and open ones at each step. */
const FATES: Fate[] = [
  // Closed: rated with a spread of stars, some not rated (yet).
  { end: "closed", rating: 0 },
  { end: "closed", rating: 1 },
  { end: "closed", rating: 2, late: "repair" },
  { end: "closed", rating: 3, demoOwner: true },
  { end: "closed", rating: 4, late: "accept" },
  { end: "closed", fast: true, rating: 5 },
  { end: "closed", refused: true, rating: 6 },
  { end: "closed", fast: true, rating: 7 },
  { end: "closed", rating: 8 },
  { end: "closed", late: "accept", rating: 9 },
  { end: "closed", fast: true, rating: 10 },
  { end: "closed", late: "settle", rating: 11 },
  { end: "closed", rating: 12 },
  { end: "closed", fast: true, rating: 13 },
  { end: "closed", refused: true, rating: 14 },
  { end: "closed", late: "survey", rating: 15 },
  { end: "closed", demoOwner: true },
  { end: "closed", fast: true },
  { end: "closed" },
  { end: "closed", fast: true },
  { end: "closed" },
  { end: "closed" },
  { end: "closed" },
  { end: "closed" },
  { end: "closed" },
  { end: "closed" },
  // Declined, the owner told why.
  { end: "declined" },
  { end: "declined" },
  { end: "declined", late: "accept" },
  { end: "declined" },
  { end: "declined" },
  { end: "declined", late: "decide" },
  { end: "declined" },
  // Open, at each step.
  { end: "settling" },
  { end: "settling", late: "settle" },
  { end: "settling" },
  { end: "confirming", demoOwner: true },
  { end: "confirming" },
  { end: "confirming", fast: true },
  { end: "confirming" },
  { end: "repairing", refused: true },
  { end: "repairing", fast: true, demoOwner: true },
  { end: "repairing", fast: true },
  { end: "repairing", late: "repair" },
  { end: "repairing" },
  { end: "repairing" },
  { end: "registered" },
  { end: "registered" },
  { end: "surveyed" },
  { end: "surveyed", late: "decide" },
  { end: "surveyed" },
  { end: "accepted" },
  { end: "accepted", late: "survey" },
  { end: "accepted" },
  { end: "reported" },
  { end: "reported", late: "accept" },
  { end: "reported" },
  { end: "reported", late: "accept" },
  { end: "reported" },
  { end: "reported", late: "accept" },
];

export type ClaimStepActor = { kind: "owner"; channel: "telegram" | "web" } | { kind: "hotline" | "insurer" | "repairer" };
export type ClaimElement = "report" | "accept" | "survey" | "decide" | "assess" | "repair" | "confirm" | "settle" | "rate";

export interface ClaimStep {
  at: Date;
  /** The claim's number in this plan. */
  claim: number;
  element: ClaimElement;
  actor: ClaimStepActor;
  submission: Record<string, unknown>;
  /** Photo fields the party uploads for the step (file names). */
  files?: Record<string, string[]>;
}

export interface DemoClaim {
  /** Which delivered project (0: in use a year, 1: its re-inspection due), and the home by its index in demoHomes. */
  project: number;
  home: number;
  channel: ClaimChannel;
  repairer: "rep-lj" | "rep-ax";
  end: End;
  fast: boolean;
  refused: boolean;
  late?: Late;
  rated: boolean;
}

export interface DemoClaimsPlan {
  homes: DemoHome[][];
  /** When each project's developer imports its homes: the day after completion acceptance. */
  importAt: Date[];
  claims: DemoClaim[];
  /** Every claim's steps, in time order. */
  steps: ClaimStep[];
  /** When the scheduler would have found a time limit passed (a claim's reminder or overdue mark). */
  ticks: Date[];
}

/** The diagram's time limits of each waiting step (processes/claim.bpmn), to know when the scheduler acts. */
const LIMITS: Record<Late, number[]> = {
  accept: [12 * HOUR, 24 * HOUR],
  survey: [2 * DAY],
  decide: [7 * DAY],
  repair: [7 * DAY],
  settle: [10 * DAY],
};

/** A moment in Kunming (UTC+8): `dayNo` days since 1970 there, at `hour` o'clock. */
const kunming = (dayNo: number, hour: number) => new Date(dayNo * DAY + (hour - 8) * HOUR);
const kunmingDay = (t: Date) => Math.floor((t.getTime() + 8 * HOUR) / DAY);
const dateOf = (t: Date) => new Date(t.getTime() + 8 * HOUR).toISOString().slice(0, 10);

/**
 * The homes and claims of the delivered projects whose completion was accepted at `completions`
 * (in the order of demoHomes' projects), seeded at `today`.
 */
export function demoClaims(today: Date, completions: Date[]): DemoClaimsPlan {
  const next = random(20260917);
  const between = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const homes = completions.map((_, p) => demoHomes(p));
  const importAt = completions.map((c) => kunming(kunmingDay(c) + 1, 10));
  const demoOwnerHomes = homes.map((list) => list.flatMap((h, k) => (h.ownerPhone === DEMO_OWNER_PHONE ? [k] : [])));
  // Each home reports once at most (the demo owner's excepted): a shuffled list per project.
  const free = homes.map((list, p) =>
    list
      .map((_, k) => ({ k, r: next() }))
      .filter(({ k }) => !demoOwnerHomes[p].includes(k))
      .sort((a, b) => a.r - b.r)
      .map((x) => x.k),
  );
  const claims: DemoClaim[] = [];
  const steps: ClaimStep[] = [];
  const ticks: Date[] = [];
  const latest = today.getTime() - HOUR;
  let demoOwnerClaims = 0;

  for (const [n, fate] of FATES.entries()) {
    const project = fate.demoOwner ? demoOwnerClaims % 2 : n % 5 < 3 ? 0 : 1;
    const home = fate.demoOwner ? demoOwnerHomes[project][demoOwnerClaims++ % demoOwnerHomes[project].length] : free[project].pop()!;
    const channel: ClaimChannel = fate.demoOwner
      ? n % 2 === 0
        ? "telegram"
        : "web"
      : n % 12 === 5
        ? "insurer"
        : pick(["telegram", "telegram", "telegram", "web", "web", "web", "hotline", "hotline"] as const);
    const claim: DemoClaim = {
      project,
      home,
      channel,
      repairer: (project + (n % 3 === 0 ? 1 : 0)) % 2 === 0 ? "rep-lj" : "rep-ax",
      end: fate.end,
      fast: !!fate.fast,
      refused: !!fate.refused,
      late: fate.late,
      rated: fate.rating !== undefined,
    };
    claims.push(claim);
    const planned = courseOf(n, fate, claim, homes[project][home]);
    // Closed claims happened any time over the last ten months, at least three days before the
    // seed; an open one has waited at its step a while since its last step (past the limit when late).
    const last = planned[planned.length - 1];
    let reportDay: number;
    let reportedAt: Date | null = null;
    if (fate.end === "closed" || fate.end === "declined") reportDay = kunmingDay(today) - between(last.day + 3, 300);
    else if (fate.end === "reported") {
      reportedAt = new Date(today.getTime() - (fate.late ? between(30, 110) : between(2, 7)) * HOUR);
      reportDay = kunmingDay(reportedAt);
    } else {
      const limits = fate.late ? LIMITS[fate.late] : [0];
      const waited = fate.late ? Math.ceil(limits[limits.length - 1] / DAY) + between(2, 5) : fate.end === "accepted" ? 0 : between(1, 4);
      reportDay = kunmingDay(today) - waited - last.day;
      if (kunming(reportDay + last.day, last.hour).getTime() >= latest) reportDay--;
    }
    const mine = planned.map((s) => {
      const at = reportedAt && s.element === "report" ? reportedAt : kunming(reportDay + s.day, s.hour);
      return { at, claim: n, element: s.element, actor: s.actor, submission: s.submission(at), files: s.files };
    });
    steps.push(...mine);
    // The limits of every step the claim waited at that passed before its next step (or the seed).
    for (const [k, s] of mine.entries()) {
      const wait = waitAfter(s, claim.fast);
      if (!wait) continue;
      const until = k + 1 < mine.length ? mine[k + 1].at.getTime() : latest;
      for (const limit of LIMITS[wait]) if (s.at.getTime() + limit < until) ticks.push(new Date(s.at.getTime() + limit + MINUTE));
    }
  }
  steps.sort((a, b) => a.at.getTime() - b.at.getTime());
  ticks.sort((a, b) => a.getTime() - b.getTime());
  return { homes, importAt, claims, steps, ticks };

  function defectFor(fate: Fate): DefectTexts {
    const small = (d: DefectTexts) => d.estimate !== null && d.estimate < 3000;
    return pick(DEFECTS.filter((d) => (fate.end === "declined" ? d.declineReason : fate.fast ? small(d) : true)));
  }

  /** The steps of one claim: days after its report day and the hour, who acts, and what they submit. */
  function courseOf(n: number, fate: Fate, claim: DemoClaim, owner: DemoHome): PlannedStep[] {
    const defect = defectFor(fate);
    const planned: PlannedStep[] = [];
    const ownerSide: ClaimStepActor =
      claim.channel === "telegram" || claim.channel === "web"
        ? { kind: "owner", channel: claim.channel }
        : claim.channel === "hotline"
          ? { kind: "hotline" }
          : { kind: "owner", channel: "web" };
    const insurer: ClaimStepActor = { kind: "insurer" };
    const repairer: ClaimStepActor = { kind: "repairer" };
    let day = 0;
    let hour = between(7, 21);
    const add = (element: ClaimElement, actor: ClaimStepActor, submission: PlannedStep["submission"], files?: Record<string, string[]>) =>
      planned.push({ day, hour, element, actor, submission, files });
    /** The next step `days` later at a working hour (later the same day when `days` is 0 and there is time left). */
    const after = (days: number) => {
      if (days === 0 && hour < 17) hour = between(hour + 1, Math.min(hour + 4, 18));
      else {
        day += Math.max(days, 1);
        hour = between(9, 17);
      }
    };

    // 报案: the owner's own estimate is below the fast-track threshold only when that track is to be taken.
    const estimate = fate.fast ? defect.estimate : defect.estimate !== null && defect.estimate >= 3000 ? defect.estimate : null;
    const caller = claim.channel === "hotline" ? pick(HOTLINE_CALLERS) : "本人";
    const byOwner = claim.channel === "telegram" || claim.channel === "web";
    add(
      "report",
      claim.channel === "insurer" ? insurer : ownerSide,
      () => ({
        part: defect.part,
        description: defect.description,
        reporterName: caller === "本人" ? owner.ownerName : `${owner.ownerName}${caller}`,
        reporterPhone: caller === "本人" ? owner.ownerPhone : `1390872${String(1000 + n).slice(-4)}`,
        estimate,
        channel: claim.channel,
      }),
      byOwner ? { photos: ["报案照片.png"] } : undefined,
    );
    if (fate.end === "reported") return planned;

    // 受理: within hours (the next morning for an evening report); days later when escalated.
    after(fate.late === "accept" ? between(2, 3) : hour < 16 ? 0 : 1);
    add("accept", insurer, (at) => ({ repairerCreditCode: demoCreditCode(claim.repairer), contactedOn: dateOf(at) }));

    if (!fate.fast) {
      if (fate.end === "accepted") return planned;
      after(fate.late === "survey" ? between(3, 4) : between(0, 1));
      add(
        "survey",
        insurer,
        (at) => ({
          surveyedOn: dateOf(at),
          part: defect.part,
          cause: defect.cause,
          extent: defect.extent,
          recommendation: defect.recommendation,
        }),
        { photos: ["查勘照片.png"] },
      );
      if (fate.end === "surveyed") return planned;
      after(fate.late === "decide" ? between(8, 9) : between(1, 3));
      const declined = fate.end === "declined";
      add("decide", insurer, () => (declined ? { decision: "decline", reason: defect.declineReason } : { decision: "register" }));
      if (fate.end === "declined" || fate.end === "registered") return planned;
      after(between(1, 2));
      add("assess", insurer, () => ({ plan: defect.plan, estimatedCost: defect.cost }));
    }
    if (fate.end === "repairing" && !fate.refused) return planned;

    const repair = (late: boolean) => {
      const from = day;
      after(late ? between(9, 11) : between(2, 6));
      // Work starts the day after the assignment, at most two days before it is finished.
      const startedBefore = Math.min(2, day - from - 1) * DAY;
      add(
        "repair",
        repairer,
        (at) => ({ startedOn: dateOf(new Date(at.getTime() - startedBefore)), finishedOn: dateOf(at), description: defect.repair }),
        { beforePhotos: ["维修前.png"], afterPhotos: ["维修后.png"] },
      );
    };
    repair(fate.late === "repair");
    if (fate.end === "confirming") return planned;
    after(between(1, 2));
    if (fate.refused) {
      add("confirm", ownerSide, () => ({ decision: "refuse", reason: REFUSAL_REASONS[n % REFUSAL_REASONS.length] }));
      if (fate.end === "repairing") return planned;
      repair(false);
      after(between(1, 2));
    }
    add("confirm", ownerSide, () => ({ decision: "accept" }));
    if (fate.end === "settling") return planned;
    after(fate.late === "settle" ? between(11, 13) : between(2, 6));
    const paid = fate.fast ? Number(defect.estimate) : defect.cost;
    add("settle", insurer, () => ({ part: defect.part, cause: defect.cause, cost: paid, paidAmount: paid }));
    if (fate.rating === undefined) return planned;
    after(between(0, 3));
    const rating = RATINGS[fate.rating];
    add("rate", ownerSide, () => ({
      stars: rating.stars,
      reasons: [...rating.reasons],
      ...(rating.comment ? { comment: rating.comment } : {}),
    }));
    return planned;
  }
}

interface PlannedStep {
  day: number;
  hour: number;
  element: ClaimElement;
  actor: ClaimStepActor;
  submission: (at: Date) => Record<string, unknown>;
  files?: Record<string, string[]>;
}

/** The step with time limits a claim waits at after this one, if any (a refusal sends it back to repair). */
function waitAfter(step: Pick<ClaimStep, "element" | "submission">, fast: boolean): Late | null {
  switch (step.element) {
    case "report":
      return "accept";
    case "accept":
      return fast ? "repair" : "survey";
    case "survey":
      return "decide";
    case "assess":
      return "repair";
    case "confirm":
      return step.submission.decision === "refuse" ? "repair" : "settle";
    default:
      return null;
  }
}
