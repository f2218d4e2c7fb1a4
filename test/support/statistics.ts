import { demoCreditCode } from "~/demo/demo-organisations";
import type { Actor } from "~/server/auth/actor";
import { claimList } from "~/server/claims/claim-views.server";
import { listProjects } from "~/server/projects/project-list.server";
import { riskEventList } from "~/server/risk/risk-views.server";
import type { BureauAlerts } from "~/server/statistics/alerts.server";
import type { Dashboard } from "~/shared/statistics";

// A small fixed city for the statistics dashboards, whose every figure the tests compute by hand:
// four insured projects (one co-insured by PICC 60 % and CPIC 40 %, one issued the year before), a
// draft, their policies, risk events around the period's edges and assessment reports; and what a
// list must not show for them: a project returned by the bureau with its policy already issued,
// one in 风险交底 and one terminated (both issued the year before). Written as plain SQL so that a
// flows test (PGlite in the test) and an HTTP or browser test (the platform's own database,
// through PlatformCluster.withSql) load the same rows. Below, the dashboards' links followed to
// the lists they open.

const org = (key: string) => `(select id from organisations where credit_code = '${demoCreditCode(key)}')`;

interface ProjectRow {
  key: string;
  name: string;
  district: string;
  area: number;
  cost: number;
  stage: string;
  status?: string;
  lead: string;
  tis: string;
  policy?: { issue: string; start: string; sumInsured: number; rate: number; premium: number; shares: [string, number][] };
}

export const STATISTICS_PROJECTS: ProjectRow[] = [
  {
    key: "p1",
    name: "统计甲苑",
    district: "530111",
    area: 10000,
    cost: 30000000,
    stage: "construction",
    lead: "picc",
    tis: "tis-yjk",
    policy: {
      issue: "2026-03-10",
      start: "2026-04-01",
      sumInsured: 30000000,
      rate: 0.015,
      premium: 450000,
      shares: [
        ["picc", 60],
        ["cpic", 40],
      ],
    },
  },
  {
    key: "p2",
    name: "统计乙苑",
    district: "530112",
    area: 20000,
    cost: 50000000,
    stage: "construction",
    lead: "pingan",
    tis: "tis-at",
    policy: { issue: "2026-03-20", start: "2026-07-01", sumInsured: 50000000, rate: 0.012, premium: 600000, shares: [["pingan", 100]] },
  },
  {
    key: "p3",
    name: "统计丙苑",
    district: "530111",
    area: 5000,
    cost: 20000000,
    stage: "use",
    lead: "picc",
    tis: "tis-yjk",
    policy: { issue: "2026-05-05", start: "2026-05-05", sumInsured: 20000000, rate: 0.018, premium: 360000, shares: [["picc", 100]] },
  },
  {
    key: "p4",
    name: "统计丁苑",
    district: "530111",
    area: 8000,
    cost: 16000000,
    stage: "construction",
    lead: "cpic",
    tis: "tis-at",
    policy: { issue: "2025-12-01", start: "2026-01-01", sumInsured: 16000000, rate: 0.02, premium: 320000, shares: [["cpic", 100]] },
  },
  {
    key: "p5",
    name: "统计戊苑",
    district: "530111",
    area: 9000,
    cost: 27000000,
    stage: "insurance",
    status: "draft",
    lead: "picc",
    tis: "tis-yjk",
  },
  {
    key: "p6",
    name: "统计己苑",
    district: "530111",
    area: 6000,
    cost: 18000000,
    stage: "insurance",
    status: "returned",
    lead: "picc",
    tis: "tis-yjk",
    policy: { issue: "2026-06-01", start: "2026-07-01", sumInsured: 18000000, rate: 0.015, premium: 270000, shares: [["picc", 100]] },
  },
  {
    key: "p7",
    name: "统计庚苑",
    district: "530112",
    area: 7000,
    cost: 21000000,
    stage: "planning",
    lead: "pingan",
    tis: "tis-at",
    policy: { issue: "2025-11-15", start: "2026-01-01", sumInsured: 21000000, rate: 0.015, premium: 315000, shares: [["pingan", 100]] },
  },
  {
    key: "p8",
    name: "统计辛苑",
    district: "530112",
    area: 4000,
    cost: 12000000,
    stage: "terminated",
    lead: "pingan",
    tis: "tis-at",
    policy: { issue: "2025-10-10", start: "2025-11-01", sumInsured: 12000000, rate: 0.015, premium: 180000, shares: [["pingan", 100]] },
  },
];

// [project, category, level, status, raised at (UTC)]
const EVENTS: [string, string, string, string, string][] = [
  ["p1", "waterproofing", "critical", "closed", "2026-02-10T02:00:00Z"],
  ["p1", "structure", "general", "open", "2026-02-20T02:00:00Z"],
  ["p2", "waterproofing", "major", "closed", "2026-03-05T02:00:00Z"],
  ["p2", "foundation", "critical", "cancelled", "2026-03-06T02:00:00Z"],
  ["p2", "finishing", "general", "rectifying", "2026-03-15T02:00:00Z"],
  // 2026-04-01 01:00 in Kunming: April there, though still March in UTC.
  ["p4", "structure", "general", "awaiting_review", "2026-03-31T17:00:00Z"],
  // 2025-12-31 23:00 in Kunming: the year before.
  ["p1", "structure", "general", "closed", "2025-12-31T15:00:00Z"],
];

// [project, kind, filed on]
const REPORTS: [string, string, string][] = [
  ["p1", "assessment", "2026-04-10"],
  ["p2", "assessment", "2026-05-01"],
  ["p2", "plan", "2026-02-01"],
  ["p4", "assessment", "2025-11-01"],
];

const q = (v: string) => `'${v}'`;

/** The statements that load the city, in order. */
export function statisticsCitySql(): string[] {
  const ids = new Map(STATISTICS_PROJECTS.map((p) => [p.key, crypto.randomUUID()]));
  const statements: string[] = [];
  for (const [i, p] of STATISTICS_PROJECTS.entries()) {
    const id = ids.get(p.key)!;
    const status = p.status ?? "insured";
    statements.push(`insert into projects (id, permit_no, name, community_name, district, address, gross_floor_area, building_count, home_count,
      construction_cost, start_date, planned_completion_date, lead_insurer_id, tis_id, developer_id, contractor_id, status, stage, confirmed_at)
      values (${q(id)}, ${q(`KM-STAT-${i + 1}`)}, ${q(p.name)}, ${q(p.name)}, ${q(p.district)}, '昆明市', ${p.area}, 3, 300, ${p.cost},
      '2025-06-01', '2027-12-31', ${org(p.lead)}, ${org(p.tis)}, ${org("dev-dc")}, ${org("con-yj2")}, ${q(status)}, ${q(p.stage)},
      ${status === "insured" ? "'2026-01-01T00:00:00Z'" : "null"})`);
    if (!p.policy) continue;
    const policyId = crypto.randomUUID();
    const pol = p.policy;
    statements.push(`insert into policies (id, project_id, policy_no, insurance_type, coverage, period_start, period_end, sum_insured, rate, premium, issue_date, status)
      values (${q(policyId)}, ${q(id)}, ${q(`STAT-POL-${i + 1}`)}, '住宅工程质量潜在缺陷保险', '[{"part":"地基基础和主体结构","years":10}]',
      ${q(pol.start)}, '2036-12-31', ${pol.sumInsured}, ${pol.rate}, ${pol.premium}, ${q(pol.issue)},
      ${q(p.stage === "terminated" ? "terminated" : "in_force")})`);
    for (const [holder, share] of pol.shares)
      statements.push(`insert into policy_shares (policy_id, project_id, organisation_id, kind, is_lead, share)
        values (${q(policyId)}, ${q(id)}, ${org(holder)}, 'insurer', ${holder === p.lead}, ${share})`);
  }
  for (const [project, category, level, status, raisedAt] of EVENTS) {
    const tis = STATISTICS_PROJECTS.find((p) => p.key === project)!.tis;
    statements.push(`insert into risk_events (project_id, tis_id, rectifier_role, rectifier_id, category, level, location, description, deadline, status, raised_at)
      values (${q(ids.get(project)!)}, ${org(tis)}, 'contractor', ${org("con-yj2")}, ${q(category)}, ${q(level)}, '3号楼', '统计测试', '2026-12-31',
      ${q(status)}, ${q(raisedAt)})`);
  }
  // The lists count events from their tallies, which raising an event keeps (tallyRiskEvent): rows
  // written here are tallied here.
  statements.push(`insert into risk_event_tallies (project_id, tis_id, events)
    select project_id, tis_id, count(*) from risk_events where project_id in (${[...ids.values()].map(q).join(", ")}) group by 1, 2
    on conflict (project_id, tis_id) do update set events = excluded.events`);
  for (const [project, kind, filedOn] of REPORTS) {
    const tis = STATISTICS_PROJECTS.find((p) => p.key === project)!.tis;
    statements.push(`insert into risk_reports (project_id, tis_id, kind, title, body, filed_on)
      values (${q(ids.get(project)!)}, ${org(tis)}, ${q(kind)}, '统计测试报告', '{}', ${q(filedOn)})`);
  }
  return statements;
}

/** Loads the city with a function that runs one statement. */
export async function loadStatisticsCity(run: (statement: string) => Promise<unknown>): Promise<void> {
  for (const statement of statisticsCitySql()) await run(statement);
}

/** A figure that opens a list: a KPI's line per insurer or a chart's point, in its unit. */
export interface LinkedFigure {
  what: string;
  value: number;
  unit: string;
  link: string;
}

export function linkedFigures(d: Dashboard): LinkedFigure[] {
  return [
    ...d.kpis.flatMap((k) =>
      (k.breakdown ?? []).flatMap((b) => (b.link ? [{ what: `${k.key} ${b.label}`, value: b.value, unit: k.unit, link: b.link }] : [])),
    ),
    ...d.charts.flatMap((c) =>
      c.series.flatMap((s) =>
        s.points.flatMap((p) => (p.link ? [{ what: `${c.key} ${s.name} ${p.label}`, value: p.value, unit: s.unit, link: p.link }] : [])),
      ),
    ),
  ];
}

/** Units whose figure is a number of the rows its list shows (projects, events, reports, claims). */
const COUNTED = new Set(["个", "件", "份"]);

/**
 * Every link of a dashboard followed with `total` (the 共N of the list it opens, or a refusal): a
 * count must be the list's total; another figure (money, a rate) above 0 must open a list that is
 * not empty. Returns each disagreement, said as a person would report it.
 */
export async function linkMismatches(d: Dashboard, total: (link: string) => Promise<number>): Promise<string[]> {
  const found: string[] = [];
  for (const figure of linkedFigures(d)) {
    const listed = await total(figure.link).catch((e: Error) => e);
    if (listed instanceof Error) found.push(`${figure.what}: ${figure.link} → ${listed.message}`);
    else if (COUNTED.has(figure.unit) ? listed !== figure.value : figure.value > 0 && listed === 0)
      found.push(`${figure.what}: ${figure.value} ${figure.unit}, ${figure.link} lists ${listed}`);
  }
  return found;
}

/** The rows a rate line of 预警 says its rate is over: "…到期的风险事件 3 项…", "…报案 4 件…". */
const RATE_LINE_ROWS = /(?:到期的风险事件|报案) (\d+) [项件]/;

/**
 * 预警's links followed the same way: each kind's 'more' opens exactly its kind's lines (an empty
 * kind has none), and each rate line (a TIS's 整改率, an insurer's 立案率) opens exactly the rows its
 * rate is computed over, as many as the line says.
 */
export async function alertLinkMismatches(alerts: BureauAlerts, total: (link: string) => Promise<number>): Promise<string[]> {
  const found: string[] = [];
  const compare = async (what: string, link: string, expected: number) => {
    const listed = await total(link).catch((e: Error) => e);
    if (listed instanceof Error) found.push(`${what}: ${link} → ${listed.message}`);
    else if (listed !== expected) found.push(`${what}: ${expected}, ${link} lists ${listed}`);
  };
  for (const group of alerts.groups) {
    if (group.more) await compare(group.kind, group.more, group.total);
    for (const line of group.lines) {
      const rows = RATE_LINE_ROWS.exec(line.text);
      if (rows) await compare(`${group.kind} ${line.text}`, line.link, Number(rows[1]));
    }
  }
  return found;
}

const query = (link: string) => Object.fromEntries(new URL(link, "http://platform").searchParams);

/** The list a link opens, read as its page reads it for the actor: its total. */
export function listTotal(actor: Actor): (link: string) => Promise<number> {
  return async (link) => {
    const path = link.split("?")[0];
    if (path === "/projects") return (await listProjects(actor, query(link))).total;
    if (path === "/risk") return (await riskEventList(actor, query(link))).page.total;
    if (path === "/claims") return (await claimList(actor, query(link))).page.total;
    throw new Error(`not a list: ${path}`);
  };
}
