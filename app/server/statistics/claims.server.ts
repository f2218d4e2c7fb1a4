import { aliasedTable, and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { BUILDING_PARTS, claims, organisations, policyShares, projects, type BuildingPart, type ClaimStatus } from "@db/schema";
import { CLAIM_PART_SHORT, CLAIM_STEP_LABELS } from "~/shared/claim-labels";
import { DISTRICTS } from "~/shared/districts";
import type { Chart, ChartPoint, Dashboard, Kpi, StatisticsFilters } from "~/shared/statistics";
import type { AnyPgColumn, SelectedFields } from "drizzle-orm/pg-core";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { claimCause, claimInsuredBy, claimPart } from "../claims/claim-queries.server";
import { clock } from "../clock.server";
import type { Executor } from "@db/client";
import { db } from "../db.server";
import { insurerLens, listLink, monthDays, monthOf, monthsOf, percent, round2, within } from "./figures.server";

// 理赔 statistics (docs/decisions/023): how many claims were reported and paid, by insurer, district
// and month; how many the insurers registered; how often they went past the time limits the claim
// diagram sets; and what failed (part, cause) in whose homes (project, developer, contractor).
// A claim belongs to the period it was reported in; 结案金额 to the month it was closed in. Counted
// in SQL over the claims in the actor's scope: a figure outside it is never computed.

/** Statuses a claim has once its insurer registered it (立案, or at once on the fast track). */
export const REGISTERED_STATUSES = [
  "registered",
  "repairing",
  "confirming",
  "settling",
  "closed",
] as const satisfies readonly ClaimStatus[];

/** How many of the most frequent causes, projects and builders the charts name. */
const TOP = 10;

const handler = aliasedTable(organisations, "handler");

const paid = sql<number>`coalesce((${claims.settlement}->>'paidAmount')::numeric, 0)`;
const repairCost = sql<number>`coalesce((${claims.settlement}->>'cost')::numeric, 0)`;
const isClosed = sql`${claims.status} = 'closed'`;
const isRegistered = inArray(claims.status, [...REGISTERED_STATUSES]);
const num = (expression: SQL) => sql<number>`${expression}`.mapWith(Number);

/**
 * The share of a claim's money that is `lens`'s: its co-insurance share of the policy, or the whole
 * of a claim it handles alone. Without a lens (the city), the whole.
 */
function shareOf(lens: string | null): SQL {
  if (!lens) return sql`1`;
  return sql`coalesce((select s.share / 100 from ${policyShares} s where s.policy_id = ${claims.policyId}
    and s.organisation_id = ${lens} and s.kind = 'insurer'), case when ${claims.insurerId} = ${lens} then 1 else 0 end)`;
}

/** The claims the filters select in the actor's scope (claims joined with their projects), but for the period. */
function selected(actor: Actor, filters: StatisticsFilters): SQL {
  const lens = insurerLens(actor, filters);
  return and(
    scope(actor, "claim"),
    filters.district ? eq(projects.district, filters.district) : undefined,
    filters.insurerId ? claimInsuredBy(filters.insurerId) : undefined,
    lens && lens !== filters.insurerId ? claimInsuredBy(lens) : undefined,
    filters.tisId ? eq(projects.tisId, filters.tisId) : undefined,
  )!;
}

/** The time limits the claim diagram sets (processes/claim.bpmn), and which claims reached each step. */
const SLA_STEPS: { step: keyof typeof CLAIM_STEP_LABELS; limit: string; reached: SQL }[] = [
  { step: "accept", limit: "24小时", reached: sql`true` },
  { step: "survey", limit: "2日", reached: sql`(${claims.acceptedAt} is not null and not ${claims.fastTrack})` },
  { step: "decide", limit: "7日", reached: sql`(${claims.acceptedAt} is not null and not ${claims.fastTrack})` },
  { step: "repair", limit: "7日", reached: sql`${claims.assessment} is not null` },
  { step: "settle", limit: "10日", reached: inArray(claims.status, ["settling", "closed"]) },
];

export async function claimsDashboard(actor: Actor, filters: StatisticsFilters, read: Executor = db()): Promise<Dashboard> {
  const asOf = clock.now().toISOString();
  const lens = insurerLens(actor, filters);
  const where = and(selected(actor, filters), within(claims.reportedAt, filters))!;
  const share = shareOf(lens);
  const link = (params: Record<string, string | undefined>) =>
    listLink("/claims", { insurer: filters.insurerId, district: filters.district, from: filters.from, to: filters.to, ...params });

  // Every figure reads claims with their projects (the district, the parties, the scope's columns).
  const ofClaims = <T extends SelectedFields>(fields: T) =>
    read.select(fields).from(claims).innerJoin(projects, eq(projects.id, claims.projectId));
  const closedCost = sql`coalesce(sum(${repairCost}) filter (where ${isClosed}), 0)`;

  const totalsQuery = ofClaims({
    reported: num(sql`count(*)`),
    registered: num(sql`count(*) filter (where ${isRegistered})`),
    closed: num(sql`count(*) filter (where ${isClosed})`),
    paid: num(sql`coalesce(sum(${paid} * ${share}) filter (where ${isClosed}), 0)`),
    overdue: num(sql`count(*) filter (where cardinality(${claims.overdueSteps}) > 0)`),
    causeUnknown: num(sql`count(*) filter (where ${claimCause} is null)`),
  }).where(where);

  // Each insurer carrying a share of the policy counts the claim, and its share of the money.
  const byCarrierQuery = ofClaims({
    id: organisations.id,
    name: organisations.name,
    count: num(sql`count(*)`),
    paid: num(sql`coalesce(sum(${paid} * ${policyShares.share} / 100) filter (where ${isClosed}), 0)`),
  })
    .innerJoin(policyShares, and(eq(policyShares.policyId, claims.policyId), eq(policyShares.kind, "insurer")))
    .innerJoin(organisations, eq(organisations.id, policyShares.organisationId))
    .where(and(where, lens ? eq(policyShares.organisationId, lens) : undefined))
    .groupBy(organisations.id, organisations.name);

  const byDistrictQuery = ofClaims({ district: projects.district, count: num(sql`count(*)`) })
    .where(where)
    .groupBy(projects.district);

  const month = monthOf(claims.reportedAt);
  const byMonthQuery = ofClaims({ month, count: num(sql`count(*)`) })
    .where(where)
    .groupBy(month);

  const closedMonth = monthOf(claims.closedAt);
  const closedByMonthQuery = ofClaims({ month: closedMonth, paid: num(sql`coalesce(sum(${paid} * ${share}), 0)`) })
    .where(and(selected(actor, filters), isClosed, within(claims.closedAt, filters)))
    .groupBy(closedMonth);

  // The handling insurer decides and keeps the time limits: its own figures, never a co-insurer's.
  const byHandlerQuery = ofClaims({
    id: handler.id,
    name: handler.name,
    reported: num(sql`count(*)`),
    registered: num(sql`count(*) filter (where ${isRegistered})`),
    escalated: num(sql`count(*) filter (where ${claims.escalatedAt} is not null)`),
    ...Object.fromEntries(
      SLA_STEPS.flatMap(({ step, reached }) => [
        [`${step}Reached`, num(sql`count(*) filter (where ${reached})`)],
        [`${step}Late`, num(sql`count(*) filter (where ${reached} and ${step} = any(${claims.overdueSteps}))`)],
      ]),
    ),
  })
    .innerJoin(handler, eq(handler.id, claims.insurerId))
    .where(and(where, lens ? eq(claims.insurerId, lens) : undefined))
    .groupBy(handler.id, handler.name);

  const failures = (key: SQL, only?: SQL) =>
    ofClaims({ key, count: num(sql`count(*)`), cost: num(closedCost) })
      .where(and(where, only))
      .groupBy(key)
      .orderBy(desc(sql`count(*)`), desc(closedCost), key);
  const developer = aliasedTable(organisations, "developer");
  const contractor = aliasedTable(organisations, "contractor");
  // The projects, developers or contractors with the most claims.
  const mostClaimed = (key: AnyPgColumn, name: AnyPgColumn, party?: { table: typeof developer; on: SQL }) => {
    const count = sql`count(*)`;
    let query = ofClaims({ key: sql<string>`${key}`, name: sql<string>`${name}`, count: num(count), cost: num(closedCost) }).$dynamic();
    if (party) query = query.innerJoin(party.table, party.on);
    return query.where(where).groupBy(key, name).orderBy(desc(count), name).limit(TOP);
  };
  // One round: the queries run at once on the pool's connections, not one after another.
  const [[totals], byCarrier, byDistrict, byMonth, closedByMonth, byHandler, byPart, byCause, byProject, byDeveloper, byContractor] =
    await Promise.all([
      totalsQuery,
      byCarrierQuery,
      byDistrictQuery,
      byMonthQuery,
      closedByMonthQuery,
      byHandlerQuery,
      failures(claimPart),
      failures(claimCause, sql`${claimCause} is not null`).limit(TOP),
      mostClaimed(projects.id, projects.name),
      mostClaimed(developer.id, developer.name, { table: developer, on: eq(developer.id, projects.developerId) }),
      mostClaimed(contractor.id, contractor.name, { table: contractor, on: eq(contractor.id, projects.contractorId) }),
    ]);

  const carriers = [...byCarrier].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, "zh-CN"));
  const kpis: Kpi[] = [
    {
      key: "claimCount",
      label: "理赔案件数",
      value: totals.reported,
      unit: "件",
      breakdown: carriers.map((c) => ({ label: c.name, value: c.count, link: link({ insurer: c.id }) })),
    },
    {
      key: "claimAmount",
      label: "理赔金额",
      value: totals.closed ? round2(totals.paid) : null,
      unit: "元",
      breakdown: [...carriers]
        .sort((a, b) => b.paid - a.paid)
        .map((c) => ({ label: c.name, value: round2(c.paid), link: link({ insurer: c.id, status: "closed" }) })),
    },
    { key: "registrationRate", label: "立案率", value: percent(totals.registered, totals.reported), unit: "%" },
    { key: "overdueShare", label: "超过时限案件占比", value: percent(totals.overdue, totals.reported), unit: "%" },
  ];

  const failureSeries = (rows: { count: number; cost: number }[], points: (row: number) => Omit<ChartPoint, "value">) => [
    { name: "报案数", unit: "件", points: rows.map((r, i) => ({ ...points(i), value: r.count })) },
    { name: "维修费用（已结案）", unit: "元", points: rows.map((r, i) => ({ ...points(i), value: round2(r.cost) })) },
  ];
  const parts = BUILDING_PARTS.flatMap((part) => {
    const row = byPart.find((r) => r.key === part);
    return row ? [{ part, ...row }] : [];
  });
  const causes = byCause as { key: string; count: number; cost: number }[];

  const handlers = [...byHandler].sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
  const row = (h: (typeof byHandler)[number], key: string) => (h as unknown as Record<string, number>)[key];

  // Which builders' homes fail: each builder's projects' claims; a bar opens its projects.
  const builderChart = (key: string, party: string, did: string, rows: typeof byDeveloper): Chart => ({
    key,
    title: `${party}报案与维修费用`,
    kind: "bar",
    categoryLabel: party,
    series: failureSeries(rows, (i) => ({ key: rows[i].key, label: rows[i].name, link: listLink("/projects", { q: rows[i].name }) })),
    note: `报案最多的前${TOP}家${party}（其${did}的项目上的报案）。`,
  });

  const charts: Chart[] = [
    {
      key: "claimsByInsurer",
      title: "理赔案件数分布图",
      kind: "bar",
      categoryLabel: "保险公司",
      series: [
        {
          name: "理赔案件数",
          unit: "件",
          points: carriers.map((c) => ({ key: c.id, label: c.name, value: c.count, link: link({ insurer: c.id }) })),
        },
      ],
      note: "按报案日期计；共保项目的案件计入每家共保公司。",
    },
    {
      key: "amountByInsurer",
      title: "理赔金额分布图",
      kind: "pie",
      categoryLabel: "保险公司",
      series: [
        {
          name: "理赔金额",
          unit: "元",
          points: carriers.map((c) => ({
            key: c.id,
            label: c.name,
            value: round2(c.paid),
            link: link({ insurer: c.id, status: "closed" }),
          })),
        },
      ],
      note: "期内报案、已结案案件的赔付金额；共保项目按各公司份额计。",
    },
    {
      key: "claimsByDistrict",
      title: "报案地区分布图",
      kind: "district",
      categoryLabel: "区县",
      series: [
        {
          name: "报案数",
          unit: "件",
          points: DISTRICTS.flatMap((d) => {
            const r = byDistrict.find((x) => x.district === d.code);
            return r ? [{ key: d.code, label: d.name, value: r.count, link: link({ district: d.code }) }] : [];
          }),
        },
      ],
    },
    {
      key: "claimsByMonth",
      title: "报案数统计图",
      kind: "line",
      categoryLabel: "月份",
      series: [
        {
          name: "报案数",
          unit: "件",
          points: monthsOf(filters).map((m) => ({
            key: m,
            label: m,
            value: byMonth.find((r) => r.month === m)?.count ?? 0,
            link: link(monthDays(m, filters)),
          })),
        },
      ],
    },
    {
      key: "registrationRate",
      title: "立案率统计图",
      kind: "bar",
      categoryLabel: "保险公司",
      series: [
        {
          name: "立案率",
          unit: "%",
          points: handlers.map((h) => ({ key: h.id, label: h.name, value: percent(h.registered, h.reported) ?? 0 })),
        },
      ],
      note: "立案数 ÷ 报案数，按经办（主承保）保险公司；小额快赔直接立案，计入立案。",
    },
    {
      key: "closedAmountByMonth",
      title: "结案金额统计图",
      kind: "line",
      categoryLabel: "月份",
      series: [
        {
          name: "结案金额",
          unit: "元",
          points: monthsOf(filters).map((m) => ({ key: m, label: m, value: round2(closedByMonth.find((r) => r.month === m)?.paid ?? 0) })),
        },
      ],
      note: "按结案日期计的赔付金额。",
    },
    {
      key: "timeLimits",
      title: "理赔时限超时率",
      kind: "bar",
      categoryLabel: "保险公司",
      series: [
        ...SLA_STEPS.map(({ step, limit }) => ({
          name: `${CLAIM_STEP_LABELS[step]}超过${limit}`,
          unit: "%",
          points: handlers.flatMap((h) => {
            const rate = percent(row(h, `${step}Late`), row(h, `${step}Reached`));
            return rate === null ? [] : [{ key: h.id, label: h.name, value: rate }];
          }),
        })),
        {
          name: "上报住建局",
          unit: "%",
          points: handlers.map((h) => ({ key: h.id, label: h.name, value: percent(h.escalated, h.reported) ?? 0 })),
        },
      ],
      note:
        "各环节超过理赔流程时限的案件占到达该环节案件的比例：受理24小时、查勘2日、立案决定7日、维修7日、结案10日；" +
        "受理超过24小时或立案决定超过30日的上报住建局。按经办保险公司。",
    },
    {
      key: "failuresByPart",
      title: "缺陷部位报案与维修费用",
      kind: "bar",
      categoryLabel: "缺陷部位",
      series: failureSeries(parts, (i) => ({
        key: parts[i].part,
        label: CLAIM_PART_SHORT[parts[i].part as BuildingPart],
        link: link({ part: parts[i].part }),
      })),
      note: "部位按结案或查勘认定的，未查勘的按报案所报；维修费用为已结案案件的实际维修费用。",
    },
    {
      key: "failuresByCause",
      title: "缺陷原因报案与维修费用",
      kind: "bar",
      categoryLabel: "缺陷原因",
      series: failureSeries(causes, (i) => ({ key: causes[i].key, label: causes[i].key, link: link({ cause: causes[i].key }) })),
      note: `结案或查勘认定的原因，前${TOP}项` + (totals.causeUnknown ? `；另有${totals.causeUnknown}件尚未查勘、原因未认定。` : "。"),
    },
    {
      key: "failuresByProject",
      title: "项目报案与维修费用",
      kind: "bar",
      categoryLabel: "项目",
      series: failureSeries(byProject, (i) => ({
        key: byProject[i].key,
        label: byProject[i].name,
        link: link({ projectId: byProject[i].key }),
      })),
      note: `报案最多的前${TOP}个项目。`,
    },
    builderChart("failuresByDeveloper", "建设单位", "建设", byDeveloper),
    builderChart("failuresByContractor", "施工单位", "施工", byContractor),
  ];
  return { area: "claims", filters, asOf, kpis, charts };
}
