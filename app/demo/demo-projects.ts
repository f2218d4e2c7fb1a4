import type { ProjectStatus } from "@db/schema/projects";

// The demo city's insured projects: deterministic, so every fresh start shows the same city.
// Names, sizes, costs and rates are invented but shaped like Kunming's residential market.

export const PLACES = [
  "滇池",
  "春城",
  "金马",
  "碧鸡",
  "翠湖",
  "盘龙",
  "呈贡",
  "阳宗",
  "长水",
  "世博",
  "螺蛳湾",
  "金碧",
  "西山",
  "宝象",
  "星耀",
  "云秀",
  "官渡",
  "安宁",
  "晋宁",
  "嵩明",
];
export const KINDS = ["花园", "华府", "御景", "名苑", "雅居", "新城", "悦府", "云著", "湖畔", "壹号"];
export const DISTRICTS = [
  "530102",
  "530103",
  "530111",
  "530112",
  "530114",
  "530115",
  "530181",
  "530171",
  "530172",
  "530173",
  "530127",
  "530125",
];
// A point in each district's built-up area (a management zone's in the district it lies in), and
// how far a project may stray from it: every demo project lands inside its district's boundary on
// the risk map (test/unit/demo-coordinates.test.ts checks each one against the map's GeoJSON).
export const CENTRES: Record<string, [number, number]> = {
  "530102": [102.7, 25.0575],
  "530103": [102.74, 25.0775],
  "530111": [102.76, 24.995],
  "530112": [102.66, 24.995],
  "530114": [102.822, 24.885],
  "530115": [102.595, 24.67],
  "530181": [102.478, 24.92],
  "530171": [102.645, 25.075],
  "530172": [102.85, 24.9975],
  "530173": [102.67, 24.9575],
  "530127": [103.037, 25.338],
  "530125": [103.142, 24.92],
};
export const SPREAD = 0.024;

export interface DemoProject {
  stage: ProjectStatus;
  insurer: "picc" | "cpic" | "pingan";
  coinsurer?: "picc" | "cpic" | "pingan";
  tis: "tis-yjk" | "tis-at" | "tis-hx";
  developer: string;
  contractor: string;
  supervisor: string;
  designer: string;
  registration: Record<string, unknown>;
  policy: Record<string, unknown>;
}

// A small linear congruential generator: the same sequence on every machine.
export function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const STAGES: ProjectStatus[] = [
  ...Array(18).fill("insured"),
  ...Array(8).fill("awaiting_confirmation"),
  ...Array(8).fill("draft"),
  ...Array(6).fill("returned"),
];
export const INSURERS = ["picc", "cpic", "pingan"] as const;
export const TIS = ["tis-yjk", "tis-at", "tis-hx"] as const;
export const DEVELOPERS = ["dev-dc", "dev-cc", "dev-jb", "dev-cg"];
export const CONTRACTORS = ["con-yj2", "con-km3", "con-zj", "con-dh"];
export const SUPERVISORS = ["sup-hy", "sup-cj"];
export const DESIGNERS = ["des-ys", "des-kk"];

export const day = (d: Date) => d.toISOString().slice(0, 10);
export const addMonths = (d: Date, n: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, d.getUTCDate()));

/** Forty projects across the districts, issued over the twelve months before `today`. */
export function demoProjects(today: Date): DemoProject[] {
  const next = random(20261125);
  return STAGES.map((stage, i) => {
    const district = DISTRICTS[i % DISTRICTS.length];
    const [lng, lat] = CENTRES[district];
    // Every name once: the second round through the places takes the next kind of name.
    const name = `${PLACES[i % PLACES.length]}${KINDS[(i * 3 + Math.floor(i / PLACES.length)) % KINDS.length]}${i % 4 === 3 ? "二期" : ""}`;
    const area = Math.round(20000 + next() * 160000);
    const costPerMetre = 3000 + Math.round(next() * 2500);
    const cost = area * costPerMetre;
    const ratePercent = Math.round((1 + next()) * 10) / 10;
    const issued = addMonths(today, -1 - Math.floor(next() * 11));
    const start = addMonths(issued, 1);
    const completion = addMonths(start, 24 + Math.floor(next() * 12));
    const insurer = INSURERS[i % 3];
    const coinsurer = i % 5 === 0 ? INSURERS[(i + 1) % 3] : undefined;
    return {
      stage,
      insurer,
      coinsurer,
      tis: TIS[(i + 1) % 3],
      developer: DEVELOPERS[i % 4],
      contractor: CONTRACTORS[(i + 2) % 4],
      supervisor: SUPERVISORS[i % 2],
      designer: DESIGNERS[(i + 1) % 2],
      registration: {
        permitNo: `KM-${issued.getUTCFullYear()}-${String(101 + i).padStart(4, "0")}`,
        name,
        communityName: name.replace(/二期$/, ""),
        district,
        address: `${name}项目地块`,
        longitude: Math.round((lng + (next() - 0.5) * SPREAD) * 10000) / 10000,
        latitude: Math.round((lat + (next() - 0.5) * SPREAD) * 10000) / 10000,
        grossFloorArea: area,
        buildingCount: 2 + Math.floor(area / 15000),
        homeCount: Math.round(area / 110),
        constructionCost: cost,
        startDate: day(start),
        plannedCompletionDate: day(completion),
      },
      policy: {
        policyNo: `${insurer.toUpperCase()}-IDI-${issued.getUTCFullYear()}-${String(1001 + i)}`,
        insuranceType: "住宅工程质量潜在缺陷保险",
        coverage: [
          { part: "地基基础和主体结构", years: 10 },
          { part: "保温和防水", years: 5 },
          { part: "其他部位（装饰装修、电气管线、给排水管道、供热与供冷系统等）", years: 2 },
        ],
        periodStart: day(addMonths(completion, 24)),
        periodEnd: day(addMonths(completion, 144)),
        sumInsured: cost,
        ratePercent,
        premium: Math.round(cost * ratePercent) / 100,
        issueDate: day(issued),
        leadShare: coinsurer ? 60 : 100,
      },
    };
  });
}
