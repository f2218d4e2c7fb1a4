import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { BUILDING_PARTS, claims, organisations, policyShares, projects, type BuildingPart, type ClaimStatus } from "@db/schema";
import { CLAIM_PART_SHORT, CLAIM_STEP_LABELS } from "~/shared/claim-labels";
import { DISTRICTS } from "~/shared/districts";
import { filtersAsAsked, type Chart, type ChartPoint, type Dashboard, type Kpi, type StatisticsFilters } from "~/shared/statistics";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { claimInsuredBy } from "../claims/claim-queries.server";
import { clock } from "../clock.server";
import type { Executor } from "@db/client";
import { db } from "../db.server";
import { everyMonth, groupingSets, insurerLens, listLink, monthDays, monthIndex, monthsOf, percent, round2, within } from "./figures.server";

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

const isClosed = sql`${claims.status} = 'closed'`;
const isRegistered = inArray(claims.status, [...REGISTERED_STATUSES]);
const num = (expression: SQL) => sql<number>`${expression}`.mapWith(Number);
/** The sum of a column's values (0 for none). */
const total = (expression: SQL | AnyPgColumn) => sql<number>`coalesce(sum(${expression}), 0)`.mapWith(Number);

/**
 * The share of a claim's money that is `lens`'s: its co-insurance share of the policy, or the whole
 * of a claim it handles alone. Without a lens (the city), the whole. `of` names the claim's policy
 * and handling insurer (a claim, or claims counted together by policy and insurer).
 */
function shareOf(lens: string | null, of: { policyId: AnyPgColumn | SQL; insurerId: AnyPgColumn | SQL }): SQL {
  if (!lens) return sql`1`;
  return sql`coalesce((select s.share / 100 from ${policyShares} s where s.policy_id = ${of.policyId}
    and s.organisation_id = ${lens} and s.kind = 'insurer'), case when ${of.insurerId} = ${lens} then 1 else 0 end)`;
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
  { step: "repair", limit: "7日", reached: sql`${claims.assessed}` },
  { step: "settle", limit: "10日", reached: inArray(claims.status, ["settling", "closed"]) },
];

/** What 超过时限 counts here, and how the claim list's 已逾期 differs (said on the card and the chart). */
const OVERDUE_NOTE =
  "超过时限：本期报案的案件中曾有任一环节超过时限的（含已结案的）；理赔列表的“已逾期”只列当前未结案且已超时限的案件。";

export async function claimsDashboard(actor: Actor, filters: StatisticsFilters, read: Executor = db()): Promise<Dashboard> {
  const asOf = clock.now().toISOString();
  const lens = insurerLens(actor, filters);
  const where = and(selected(actor, filters), within(claims.reportedAt, filters))!;
  const link = (params: Record<string, string | undefined>) =>
    listLink("/claims", {
      insurer: filters.insurerId,
      tis: filters.tisId,
      district: filters.district,
      from: filters.from,
      to: filters.to,
      ...params,
    });

  // The period's claims are read a few times over, each pass from the index on reported_at alone
  // (the figures' columns are in it), and the passes run at once on the pool's connections. A left
  // join selects the same claims as the inner one did (each has its project: a foreign key, not
  // null) and lets PostgreSQL leave the projects out where no filter reads them.
  const onProject = eq(projects.id, claims.projectId);
  const closedCost = total(sql`${claims.repairCost}) filter (where ${isClosed}`);

  // 1. By project (and its policy and handling insurer), then rolled up: districts; the projects,
  // developers and contractors with most claims; each insurer carrying a share of the policy (the
  // claim, and its share of the money); the money paid that is the lens's.
  const perProject = read.$with("per_project").as(
    read
      .select({
        projectId: claims.projectId,
        policyId: claims.policyId,
        insurerId: claims.insurerId,
        claims: sql<number>`count(*)`.as("claims"),
        paid: sql`sum(${claims.paidAmount}) filter (where ${isClosed})`.as("paid"),
        cost: sql`sum(${claims.repairCost}) filter (where ${isClosed})`.as("cost"),
      })
      .from(claims)
      .leftJoin(projects, onProject)
      .where(where)
      .groupBy(claims.projectId, claims.policyId, claims.insurerId),
  );
  // The projects' district, name and builders beside their figures, once for every roll-up.
  // Each project's figures (over its policy and handlers) beside its district, name and builders.
  const projectTotals = read
    .select({
      projectId: sql<string>`${perProject.projectId}`.as("by_project_id"),
      claims: sql<number>`sum(${perProject.claims})`.as("by_project_claims"),
      cost: sql`sum(${perProject.cost})`.as("by_project_cost"),
    })
    .from(perProject)
    .groupBy(perProject.projectId)
    .as("by_project");
  const placed = read.$with("placed").as(
    read
      .select({
        projectId: sql<string>`${projectTotals.projectId}`.as("placed_project_id"),
        claims: sql<number>`${projectTotals.claims}`.as("placed_claims"),
        cost: sql`${projectTotals.cost}`.as("placed_cost"),
        district: projects.district,
        name: projects.name,
        developerId: projects.developerId,
        contractorId: projects.contractorId,
      })
      .from(projectTotals)
      .innerJoin(projects, eq(sql`${projects.id}`, projectTotals.projectId)),
  );
  // Districts, developers and contractors in one pass over the projects' figures; then the
  // builders named and the TOP of each kept, the most claimed first (among equals, by name).
  const builderSets = groupingSets({
    district: [sql`${placed.district}`],
    developer: [sql`${placed.developerId}`],
    contractor: [sql`${placed.contractorId}`],
  });
  const grouped = read
    .select({
      set: builderSets.set.as("set"),
      key: sql<string | null>`coalesce(${placed.district}, ${placed.developerId}::text, ${placed.contractorId}::text)`.as("key"),
      claims: sql<number>`sum(${placed.claims})`.as("claims"),
      amount: sql<number>`coalesce(sum(${placed.cost}), 0)`.as("amount"),
    })
    .from(placed)
    .groupBy(builderSets.groupBy)
    .as("grouped");
  const ranked = read
    .select({
      set: grouped.set,
      key: grouped.key,
      name: sql<string | null>`${organisations.name}`.as("name"),
      claims: grouped.claims,
      amount: grouped.amount,
      rank: sql<number>`row_number() over (partition by ${grouped.set} order by ${grouped.claims} desc, ${organisations.name}, ${grouped.key})`.as(
        "rank",
      ),
    })
    .from(grouped)
    .leftJoin(organisations, sql`${grouped.set} <> 'district' and ${organisations.id}::text = ${grouped.key}`)
    .as("ranked");
  // The projects with most claims, the TOP sorted in a bounded heap.
  const places = read
    .select({ set: ranked.set, key: ranked.key, name: ranked.name, claims: ranked.claims, amount: ranked.amount })
    .from(ranked)
    .where(sql`${ranked.key} is not null and (${ranked.set} = 'district' or ${ranked.rank} <= ${TOP})`)
    .unionAll(
      read
        .select({
          set: sql<string>`'project'`.as("set"),
          key: sql<string | null>`${placed.projectId}::text`.as("key"),
          name: sql<string | null>`${placed.name}`.as("name"),
          claims: sql<number>`${placed.claims}`.as("claims"),
          amount: sql<number>`coalesce(${placed.cost}, 0)`.as("amount"),
        })
        .from(placed)
        .orderBy(desc(placed.claims), placed.name, placed.projectId)
        .limit(TOP),
    )
    .as("places");
  const money = read
    .select({
      set: sql<string>`'carrier'`.as("set"),
      key: sql<string | null>`${organisations.id}::text`.as("key"),
      name: sql<string | null>`${organisations.name}`.as("name"),
      claims: sql<number>`sum(${perProject.claims})`.as("claims"),
      amount: sql<number>`coalesce(sum(${perProject.paid} * ${policyShares.share} / 100), 0)`.as("amount"),
    })
    .from(perProject)
    .innerJoin(policyShares, and(eq(policyShares.policyId, perProject.policyId), eq(policyShares.kind, "insurer")))
    .innerJoin(organisations, eq(organisations.id, policyShares.organisationId))
    .where(lens ? eq(policyShares.organisationId, lens) : undefined)
    .groupBy(organisations.id, organisations.name)
    .unionAll(
      read
        .select({
          set: sql<string>`'paid'`.as("set"),
          key: sql<string | null>`null`.as("key"),
          name: sql<string | null>`null`.as("name"),
          claims: sql<number>`0`.as("claims"),
          amount: sql<number>`coalesce(sum(${perProject.paid} * ${shareOf(lens, perProject)}), 0)`.as("amount"),
        })
        .from(perProject),
    )
    .as("money");
  // Two statements, on two connections at once: where the claims are, and whose money they are.
  const rolledUp = (parts: typeof places | typeof money, ...ctes: (typeof perProject | typeof placed)[]) =>
    read
      .with(...ctes)
      .select({ set: parts.set, key: parts.key, name: parts.name, claims: num(sql`${parts.claims}`), amount: num(sql`${parts.amount}`) })
      .from(parts);

  // 2. By month, part and cause: reported, and the repair cost of the closed (the ten commonest causes).
  const months = monthsOf(filters);
  const byKeys = { month: monthIndex(claims.reportedAt, filters), part: sql`${claims.foundPart}`, cause: sql`${claims.foundCause}` };
  const failureSets = groupingSets({ month: [byKeys.month], part: [byKeys.part], cause: [byKeys.cause] });
  const failureKey = sql<string | null>`coalesce(${byKeys.month}::text, ${byKeys.part}, ${byKeys.cause})`;
  const failures = read
    .select({
      set: failureSets.set.as("set"),
      key: failureKey.as("key"),
      claims: sql<number>`count(*)::int`.as("claims"),
      cost: sql`${closedCost}`.as("cost"),
      // A claim whose cause is not yet known counts in no cause.
      rank: sql<number>`row_number() over (partition by ${failureSets.set} order by ${byKeys.cause} is null, count(*) desc, ${closedCost} desc, ${failureKey})`.as(
        "rank",
      ),
    })
    .from(claims)
    .leftJoin(projects, onProject)
    .where(where)
    .groupBy(failureSets.groupBy)
    .as("failures");
  const failureRows = read
    .select({ set: failures.set, key: failures.key, count: failures.claims, cost: num(sql`${failures.cost}`) })
    .from(failures)
    .where(sql`${failures.set} <> 'cause' or (${failures.key} is not null and ${failures.rank} <= ${TOP})`)
    .orderBy(failures.set, failures.rank);

  // 3. By handling insurer, which decides and keeps the time limits (and, added up, the totals).
  const byHandlerGroups = read
    .select({
      insurerId: claims.insurerId,
      reported: sql<number>`count(*)::int`.as("reported"),
      registered: sql<number>`(count(*) filter (where ${isRegistered}))::int`.as("registered"),
      closed: sql<number>`(count(*) filter (where ${isClosed}))::int`.as("closed"),
      overdue: sql<number>`(count(*) filter (where cardinality(${claims.overdueSteps}) > 0))::int`.as("overdue"),
      causeUnknown: sql<number>`(count(*) filter (where ${claims.foundCause} is null))::int`.as("cause_unknown"),
      escalated: sql<number>`(count(*) filter (where ${claims.escalatedAt} is not null))::int`.as("escalated"),
      ...Object.fromEntries(
        SLA_STEPS.flatMap(({ step, reached }) => [
          [`${step}Reached`, sql<number>`(count(*) filter (where ${reached}))::int`.as(`${step}_reached`)],
          [
            `${step}Late`,
            sql<number>`(count(*) filter (where ${reached} and ${step} = any(${claims.overdueSteps})))::int`.as(`${step}_late`),
          ],
        ]),
      ),
    })
    .from(claims)
    .leftJoin(projects, onProject)
    .where(where)
    .groupBy(claims.insurerId)
    .as("by_handler");
  const handlerRows = read.select().from(byHandlerGroups).innerJoin(organisations, eq(organisations.id, byHandlerGroups.insurerId));

  // 4. 结案金额: the money paid on the claims closed in the period, by the month closed.
  const closedMonth = monthIndex(claims.closedAt, filters);
  const closedByMonthQuery = read
    .select({ month: closedMonth, paid: total(sql`${claims.paidAmount} * ${shareOf(lens, claims)}`) })
    .from(claims)
    .leftJoin(projects, eq(projects.id, claims.projectId))
    .where(and(selected(actor, filters), isClosed, within(claims.closedAt, filters)))
    .groupBy(closedMonth);

  const [placeRows, moneyRows, failureList, handlerList, closedByMonth] = await Promise.all([
    rolledUp(places, perProject, placed),
    rolledUp(money, perProject),
    failureRows,
    handlerRows,
    closedByMonthQuery,
  ]);
  const inSet = (set: string) => [...placeRows, ...moneyRows].filter((r) => r.set === set);
  const ofSet = (set: string) => failureList.filter((r) => r.set === set);
  const handlerFigures = handlerList.map(({ by_handler: figures, organisations: insurer }) => ({
    ...figures,
    id: insurer.id,
    name: insurer.name,
  }));
  const sumOf = (key: "reported" | "registered" | "closed" | "overdue" | "causeUnknown") => handlerFigures.reduce((n, h) => n + h[key], 0);
  const totals = {
    reported: sumOf("reported"),
    registered: sumOf("registered"),
    closed: sumOf("closed"),
    overdue: sumOf("overdue"),
    causeUnknown: sumOf("causeUnknown"),
    paid: inSet("paid")[0]?.amount ?? 0,
  };
  const byCarrier = inSet("carrier").map((r) => ({ id: r.key!, name: r.name!, count: r.claims, paid: r.amount }));
  const byDistrict = inSet("district").map((r) => ({ district: r.key!, count: r.claims }));
  const byMonth = ofSet("month").map((r) => ({ month: months[Number(r.key)], count: r.count }));
  const byHandler = handlerFigures.filter((h) => !lens || h.id === lens);
  const byPart = ofSet("part").map((r) => ({ key: r.key!, count: r.count, cost: r.cost }));
  const byCause = ofSet("cause").map((r) => ({ key: r.key!, count: r.count, cost: r.cost }));
  const builders = (set: string) => inSet(set).map((r) => ({ key: r.key!, name: r.name!, count: r.claims, cost: r.amount }));
  const [byProject, byDeveloper, byContractor] = ["project", "developer", "contractor"].map(builders);

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
    {
      key: "overdueShare",
      label: "超过时限案件占比",
      value: percent(totals.overdue, totals.reported),
      unit: "%",
      note: OVERDUE_NOTE,
    },
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

  // Which builders' homes fail: each builder's projects' claims; a bar opens those claims.
  const builderChart = (key: string, filter: "developer" | "contractor", party: string, did: string, rows: typeof byDeveloper): Chart => ({
    key,
    title: `${party}报案与维修费用`,
    kind: "bar",
    categoryLabel: party,
    series: failureSeries(rows, (i) => ({ key: rows[i].key, label: rows[i].name, link: link({ [filter]: rows[i].key }) })),
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
          points: everyMonth(filters, (m) => byMonth.find((r) => r.month === m)?.count ?? 0, (m) => link(monthDays(m, filters))),
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
          points: everyMonth(filters, (_, i) => round2(closedByMonth.find((r) => r.month === i)?.paid ?? 0)),
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
        "受理超过24小时或立案决定超过30日的上报住建局。按经办保险公司。" +
        OVERDUE_NOTE,
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
    builderChart("failuresByDeveloper", "developer", "建设单位", "建设", byDeveloper),
    builderChart("failuresByContractor", "contractor", "施工单位", "施工", byContractor),
  ];
  return { area: "claims", filters: filtersAsAsked(filters), asOf, kpis, charts };
}
