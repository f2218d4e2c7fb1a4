import { readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/server/auth/actor";
import { clock } from "~/server/clock.server";
import { db } from "~/server/db.server";
import type { FormSchema } from "~/server/forms/registry.server";
import { runSubmissionChecks } from "~/server/forms/server-checks.server";
import { validateSubmissionAgainst } from "~/server/forms/validate.server";
import { deployBuiltIns } from "~/server/workflow/index.server";
import { formatDateTime, isCalendarDate, shiftDay } from "~/shared/time";
import { demoActor } from "../support/actors";
import { acceptance, deliveredProject, ownerReports } from "../support/claims";
import { useTestDatabase } from "../support/database";
import { policy, registration } from "../support/insurance";
import { insuredProject, inspectionSubmission, riskEventInput } from "../support/risk";

// A rule on a form's fields that the submission alone decides (dates in order, amounts) is the
// form's own: a shared rule in its schema, judged alike in the browser and on the server
// (docs/decisions/007). The server checks a form names ("x-server-checks") say only what needs the
// database. Each form that names checks is given a good submission, then variants that move one of
// its dates or numbers past another of them, always later, never earlier (so nothing the database
// holds, such as a claim's report date, comes into play): whatever a check says of a variant, the
// form's own rules say on that field too. A check judging the submission's own fields fails here.

useTestDatabase();

interface Case {
  businessKey: string;
  actor: Actor;
  submission: Record<string, unknown>;
}
const cases = new Map<string, Case>();
const today = () => formatDateTime(clock.now(), "YYYY-MM-DD");
const file = (name: string) => ({ id: crypto.randomUUID(), name, size: 68 });

beforeAll(async () => {
  await deployBuiltIns();
  const insurer = await demoActor("insurer");
  const run = Date.now() % 100000;
  cases.set("insurance-registration", {
    businessKey: crypto.randomUUID(),
    actor: insurer,
    submission: registration({ permitNo: `KM-CHECKS-${run}` }),
  });
  cases.set("insurance-policy", {
    businessKey: crypto.randomUUID(),
    actor: insurer,
    submission: policy({ policyNo: `PICC-CHECKS-${run}` }),
  });

  const p = await insuredProject("核对测试");
  const inspectedOn = shiftDay(today(), -5, "day");
  const event = riskEventInput({ deadline: shiftDay(today(), 20, "day") });
  cases.set("risk-inspection", { businessKey: p.projectId, actor: p.tis, submission: inspectionSubmission([event], { inspectedOn }) });
  cases.set("risk-reinspection", {
    businessKey: p.projectId,
    actor: p.tis,
    submission: { inspectedOn, inspectors: "周工", conclusion: "渗水一处", documents: [file("复查报告.pdf")], defects: [event] },
  });

  const home = await deliveredProject(["13966770001"]);
  const claim = await ownerReports("13966770001", home.homes[0].id);
  cases.set("claim-accept", { businessKey: claim.id, actor: home.insurer, submission: acceptance() });
});

const schemaOf = (key: string) => JSON.parse(readFileSync(`forms/${key}.json`, "utf8")) as FormSchema;
const withServerChecks = ["claim-accept", "insurance-policy", "insurance-registration", "risk-inspection", "risk-reinspection"];

/** The dates and numbers of a submission, by path. */
function leaves(node: unknown, prefix = ""): { path: string; value: string | number }[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => leaves(v, `${prefix}${i}.`));
  if (node && typeof node === "object") return Object.entries(node).flatMap(([k, v]) => leaves(v, `${prefix}${k}.`));
  const path = prefix.slice(0, -1);
  return isCalendarDate(node) || (typeof node === "number" && Number.isFinite(node)) ? [{ path, value: node }] : [];
}

function withValue(submission: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(submission);
  const keys = path.split(".");
  const holder = keys.slice(0, -1).reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, copy);
  holder[keys.at(-1)!] = value;
  return copy;
}

/** Each date or number moved just past each other one of its kind (a day, or one, later). */
function variants(submission: Record<string, unknown>) {
  const all = leaves(submission);
  return all.flatMap((a) =>
    all
      .filter((b) => b.path !== a.path && typeof b.value === typeof a.value)
      .map((b) => {
        const moved = typeof b.value === "number" ? b.value + 1 : shiftDay(b.value, 1, "day");
        return { what: `${a.path} → ${moved}（${b.path} 之后）`, submission: withValue(submission, a.path, moved) };
      }),
  );
}

async function judged(key: string, submission: Record<string, unknown>) {
  const schema = schemaOf(key);
  const { businessKey, actor } = cases.get(key)!;
  const { values, errors } = await validateSubmissionAgainst(schema, submission);
  const checked = await db().transaction((tx) => runSubmissionChecks(schema, { tx, actor, businessKey, values }));
  return { form: errors, checks: checked };
}

describe("server checks say only what needs the database", () => {
  it("covers every built-in form that names server checks (a new one needs its good submission above)", () => {
    const named = readdirSync("forms")
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -".json".length))
      .filter((key) => schemaOf(key)["x-server-checks"]?.length);
    expect(named.sort()).toEqual(withServerChecks);
    expect([...cases.keys()].sort()).toEqual(withServerChecks);
  });

  it.each(withServerChecks)(
    "%s: the good submission passes both; no variant of its dates and numbers is refused by a check alone",
    async (key) => {
      const { submission } = cases.get(key)!;
      expect(await judged(key, submission)).toEqual({ form: {}, checks: {} });
      const serverOnly: string[] = [];
      for (const variant of variants(submission)) {
        const { form, checks } = await judged(key, variant.submission);
        for (const [field, message] of Object.entries(checks)) if (!form[field]) serverOnly.push(`${variant.what}: ${field} ${message}`);
      }
      expect(serverOnly).toEqual([]);
    },
  );
});
