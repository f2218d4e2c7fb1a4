import { and, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn, SubqueryWithSelection } from "drizzle-orm/pg-core";
import { claimRatings, claims, organisations, projects, RATING_REASONS, tisRatings } from "@db/schema";
import { RATING_REASON_LABELS } from "~/shared/claim-labels";
import { filtersAsAsked, type Chart, type ChartSeries, type Dashboard, type Kpi, type StatisticsFilters } from "~/shared/statistics";
import type { Actor } from "../auth/actor";
import { scope } from "../auth/scope.server";
import { claimInsuredBy } from "../claims/claim-queries.server";
import { clock } from "../clock.server";
import type { Executor } from "@db/client";
import { db } from "../db.server";
import { overseesCity, percent, round2, within } from "./figures.server";

// 服务评价 statistics (docs/decisions/023): insurers and repairers ranked by owners' ratings with
// their complaint reasons, TIS by insurers' ratings, and each repairer's work quality (repairs sent
// back by owners, the same defect again on the same home within a year, days to repair).
// The regulator sees every organisation. Anyone else sees its own place: the rank is computed over
// the city in SQL and only the actor's own row (its figures, its rank, how many were ranked) leaves
// the database, never another organisation's name or figures.

const round1 = (n: number) => Math.round(n * 10) / 10;

interface Ranked {
  id: string;
  name: string;
  /** Shown to one decimal. */
  average: number;
  count: number;
  /** All its stars: the city's average is taken over these, not over the rounded averages. */
  stars: number;
  rank: number;
  of: number;
  reasons: Record<string, number>;
}

/** The roles whose organisations are rated and ranked: insurers and repairers by owners, TIS by insurers. */
const RATED_AS = ["insurer", "repairer", "tis"] as const;

/** The organisation whose own place a non-overseer sees; null for the regulator (every row). */
function ownPlace(actor: Actor): string | null {
  return overseesCity(actor) ? null : (actor.organisationId ?? "");
}

/** What ranking organisations by their ratings reads per organisation, with its rank over all of them. */
function rankColumns(stars: AnyPgColumn, rated: AnyPgColumn, reasons?: AnyPgColumn) {
  return {
    id: sql<string>`${rated}`.as("rated_id"),
    average: sql<number>`avg(${stars})`.as("rated_average"),
    count: sql<number>`count(*)`.as("rated_count"),
    stars: sql<number>`sum(${stars})`.as("rated_stars"),
    reasons: (reasons
      ? sql<Record<string, number>>`jsonb_build_object(${sql.join(
          RATING_REASONS.map((r) => sql`${r}::text, count(*) filter (where ${r} = any(${reasons}))`),
          sql`, `,
        )})`
      : sql<Record<string, number>>`'{}'::jsonb`
    ).as("rated_reasons"),
    // Best first; among equals, the one rated more often.
    rank: sql<number>`rank() over (order by avg(${stars}) desc, count(*) desc)`.as("rated_rank"),
    of: sql<number>`count(*) over ()`.as("rated_of"),
  };
}

type City = SubqueryWithSelection<ReturnType<typeof rankColumns>, "city">;

/** The ranked organisations with their names; `only` keeps one organisation's row once the city is ranked. */
async function placesIn(read: Executor, city: City, only: string | null): Promise<Ranked[]> {
  const rows = await read
    .select({
      id: city.id,
      name: organisations.name,
      average: city.average,
      count: city.count,
      stars: city.stars,
      reasons: city.reasons,
      rank: city.rank,
      of: city.of,
    })
    .from(city)
    .innerJoin(organisations, eq(organisations.id, city.id))
    .where(only === null ? undefined : eq(city.id, only))
    .orderBy(city.rank, organisations.name);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    average: round1(Number(r.average)),
    count: Number(r.count),
    stars: Number(r.stars),
    rank: Number(r.rank),
    of: Number(r.of),
    reasons: Object.fromEntries(RATING_REASONS.map((reason) => [reason, Number(r.reasons[reason] ?? 0)])),
  }));
}

export async function serviceDashboard(actor: Actor, filters: StatisticsFilters, read: Executor = db()): Promise<Dashboard> {
  const asOf = clock.now().toISOString();
  const only = ownPlace(actor);
  const projectFilters = and(
    filters.district ? eq(projects.district, filters.district) : undefined,
    filters.tisId ? eq(projects.tisId, filters.tisId) : undefined,
  );
  const claimWhere = and(
    within(claimRatings.createdAt, filters),
    projectFilters,
    filters.insurerId ? claimInsuredBy(filters.insurerId) : undefined,
  );
  // Left joins select the same ratings (each has its claim, each claim its project: foreign keys,
  // not null) and let PostgreSQL leave out what no filter reads: the city's ratings of a period
  // are then read from their index alone.
  const claimCity = (rated: AnyPgColumn) =>
    read
      .select(rankColumns(claimRatings.stars, rated, claimRatings.reasons))
      .from(claimRatings)
      .leftJoin(claims, eq(claims.id, claimRatings.claimId))
      .leftJoin(projects, eq(projects.id, claims.projectId))
      .where(and(claimWhere, isNotNull(rated)))
      .groupBy(rated)
      .as("city");
  const tisCity = read
    .select(rankColumns(tisRatings.stars, tisRatings.tisId))
    .from(tisRatings)
    .innerJoin(projects, eq(projects.id, tisRatings.projectId))
    .where(
      and(
        within(tisRatings.createdAt, filters),
        projectFilters,
        filters.insurerId ? eq(tisRatings.insurerId, filters.insurerId) : undefined,
      ),
    )
    .groupBy(tisRatings.tisId)
    .as("city");
  const [insurers, repairers, tis, quality] = await Promise.all([
    placesIn(read, claimCity(claimRatings.insurerId), only),
    placesIn(read, claimCity(claimRatings.repairerId), only),
    placesIn(read, tisCity, only),
    repairQuality(read, actor, filters, projectFilters),
  ]);
  const ranked: Record<(typeof RATED_AS)[number], Ranked[]> = { insurer: insurers, repairer: repairers, tis };

  // An organisation sees its own cards for what it is rated as, with no figure ("—") where nobody rated it.
  const own = only === null ? [] : RATED_AS.filter((kind) => actor.roles.includes(kind)).map((kind) => ({ kind, row: ranked[kind][0] }));
  const kpis: Kpi[] =
    only === null
      ? [
          { key: "insurerStars", label: "保险公司业主评价平均星级", value: average(insurers), unit: "星" },
          { key: "repairerStars", label: "维修单位业主评价平均星级", value: average(repairers), unit: "星" },
          { key: "tisStars", label: "风险管理机构保险公司评价平均星级", value: average(tis), unit: "星" },
        ]
      : [
          ...own.map(({ row }) => ({ key: "ownStars", label: "本单位平均星级", value: row?.average ?? null, unit: "星" })),
          ...own.map(({ kind, row }) => ({
            key: `${kind}Rank`,
            label: `本单位${kind === "tis" ? "风险管理机构" : ""}排名${row ? `（共${row.of}家）` : ""}`,
            value: row?.rank ?? null,
            unit: "名",
          })),
        ];

  const label = (r: Ranked) => (only === null ? r.name : `本单位（第${r.rank}名/共${r.of}家）`);
  const ranking = (key: string, title: string, rows: Ranked[], ratedBy: string): Chart => ({
    key,
    title,
    kind: "bar",
    categoryLabel: only === null ? "单位" : "本单位",
    series: [
      { name: "平均星级", unit: "星", points: rows.map((r) => ({ key: r.id, label: label(r), value: r.average })) },
      { name: "评价数", unit: "次", points: rows.map((r) => ({ key: r.id, label: label(r), value: r.count })) },
    ],
    note: `${ratedBy}评价，1–5星，按平均星级排名，相同时评价多者在前。`,
  });
  const complaints = (key: string, title: string, rows: Ranked[]): Chart => ({
    key,
    title,
    kind: "bar",
    categoryLabel: only === null ? "单位" : "本单位",
    series: RATING_REASONS.map((reason): ChartSeries => ({
      name: RATING_REASON_LABELS[reason],
      unit: "%",
      points: rows.map((r) => ({ key: r.id, label: label(r), value: percent(r.reasons[reason], r.count) ?? 0 })),
    })),
    note: "业主评价时勾选各项不满意原因的占比（一次评价可勾选多项）。",
  });

  // The rankings of a kind an organisation is not rated as would always be empty for it (a
  // repairer's place among insurers): the city's overseers see every kind, others their own.
  const ratedAs = (kind: (typeof RATED_AS)[number]) => only === null || actor.roles.includes(kind);
  const charts: Chart[] = [
    ...(ratedAs("insurer")
      ? [
          ranking("insurerRanking", "保险公司服务评价排名", insurers, "业主对理赔服务的"),
          complaints("insurerComplaints", "保险公司投诉原因", insurers),
        ]
      : []),
    ...(ratedAs("repairer")
      ? [
          ranking("repairerRanking", "维修单位服务评价排名", repairers, "业主对维修的"),
          complaints("repairerComplaints", "维修单位投诉原因", repairers),
        ]
      : []),
    ...(ratedAs("tis") ? [ranking("tisRanking", "风险管理机构服务评价排名", tis, "保险公司出具最终检查报告时对风险管理机构的")] : []),
    {
      key: "repairQuality",
      title: "维修单位施工质量跟踪",
      kind: "bar",
      categoryLabel: "维修单位",
      series: [
        { name: "维修案件数", unit: "件", points: quality.map((q) => ({ key: q.id, label: q.name, value: q.repaired })) },
        {
          name: "业主退回重修率",
          unit: "%",
          points: quality.map((q) => ({ key: q.id, label: q.name, value: percent(q.refused, q.repaired) ?? 0 })),
        },
        {
          name: "一年内同部位重复报修率",
          unit: "%",
          points: quality.map((q) => ({ key: q.id, label: q.name, value: percent(q.repeated, q.repaired) ?? 0 })),
        },
        { name: "平均维修时长", unit: "天", points: quality.map((q) => ({ key: q.id, label: q.name, value: round1(q.days) })) },
      ],
      note:
        "期内报案、已完成维修的案件：业主验收时至少退回一次的占比；维修完工后一年内同一房屋同一部位再次报案的占比；" +
        "报案日到完工日的平均天数。",
    },
  ];
  return { area: "service", filters: filtersAsAsked(filters), asOf, kpis, charts };
}

/** The average stars over all ratings (not the average of the averages); null with none. */
function average(rows: Ranked[]): number | null {
  const count = rows.reduce((s, r) => s + r.count, 0);
  return count ? round2(rows.reduce((s, r) => s + r.stars, 0) / count) : null;
}

/**
 * Each repairer's repairs in the actor's scope: the regulator every repairer's, a repairer its own,
 * an insurer those on the claims it handles.
 */
async function repairQuality(read: Executor, actor: Actor, filters: StatisticsFilters, projectFilters: SQL | undefined) {
  const own = overseesCity(actor)
    ? undefined
    : actor.roles.includes("insurer")
      ? eq(claims.insurerId, actor.organisationId ?? "")
      : undefined;
  // Counted per repairer from the index of repaired claims (their mark, refusals and days are in
  // it), then named.
  const perRepairer = read
    .select({
      repairerId: claims.repairerId,
      repaired: sql<number>`count(*)::int`.as("repaired"),
      refused: sql<number>`(count(*) filter (where ${claims.refusalCount} > 0))::int`.as("refused"),
      repeated: sql<number>`(count(*) filter (where ${claims.repeatWithinYear}))::int`.as("repeated"),
      days: sql<number>`avg(${claims.repairDays})::float8`.as("days"),
    })
    .from(claims)
    .leftJoin(projects, eq(projects.id, claims.projectId))
    .where(
      and(
        scope(actor, "claim"),
        own,
        sql`${claims.repair} is not null`,
        within(claims.reportedAt, filters),
        projectFilters,
        filters.insurerId ? claimInsuredBy(filters.insurerId) : undefined,
      ),
    )
    .groupBy(claims.repairerId)
    .as("per_repairer");
  const rows = (await read.select().from(perRepairer).innerJoin(organisations, eq(organisations.id, perRepairer.repairerId))).map(
    ({ per_repairer: figures, organisations: repairer }) => ({ ...figures, id: repairer.id, name: repairer.name }),
  );
  return rows.sort((a, b) => b.repaired - a.repaired || a.name.localeCompare(b.name, "zh-CN"));
}
