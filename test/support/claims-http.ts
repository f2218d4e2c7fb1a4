import { policy, registration } from "./insurance";
import { goodUnitRows, unitsWorkbook } from "./units";
import { demoCreditCode } from "./workflow";

// Claims as the platform's clients drive them over HTTP: an insured project with homes, and a
// claim's steps through the task API, with a session cookie (idi_session=…) or an API key.

export interface Answer {
  status: number;
  body: any;
}

/** One request as `as` (a session cookie, or an API key); the answer's JSON whatever its status. */
export async function callAs(base: string, as: string, path: string, init: { method?: string; json?: unknown; body?: BodyInit } = {}) {
  const headers: Record<string, string> = as.startsWith("idi_session=") ? { Cookie: as, Origin: base } : { Authorization: `Bearer ${as}` };
  if (init.json !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(base + path, {
    method: init.method ?? "GET",
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null } as Answer;
}

/** Completes the flow's open task (a claim waits at one step at a time) as `as`. */
export async function completeNextAs(base: string, as: string, instanceId: string, submission: unknown): Promise<void> {
  const { openTasks } = (await callAs(base, as, `/api/v1/instances/${instanceId}`)).body as { openTasks: { id: string; name: string }[] };
  const done = await callAs(base, as, `/api/v1/tasks/${openTasks[0].id}/complete`, { method: "POST", json: { submission } });
  if (done.status !== 200) throw new Error(`${openTasks[0].name}: ${done.status} ${JSON.stringify(done.body)}`);
}

/** A photo uploaded as `as`, for a form's file field. */
export async function photoAs(base: string, as: string, name: string): Promise<{ id: string; name: string; size: number }> {
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  const form = new FormData();
  form.append("file", new Blob([png], { type: "image/png" }), name);
  const uploaded = await callAs(base, as, "/attachments", { method: "POST", body: form });
  if (uploaded.status !== 200) throw new Error(`upload: ${uploaded.status}`);
  return uploaded.body;
}

export const kunmingToday = () => new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(new Date());

/**
 * A PICC project (no co-insurers) through the insurance review, confirmed by the regulator, with
 * `homes` homes imported by the insurer: their ids, 1栋1单元101 first.
 */
export async function insuredHomesOverHttp(
  base: string,
  as: { insurer: string; regulator: string },
  project: { permitNo: string; name: string; homes: number; phonePrefix: string },
): Promise<{ projectId: string; unitIds: string[] }> {
  const started = await callAs(base, as.insurer, "/api/v1/processes/insurance-review/instances", {
    method: "POST",
    json: { title: `理赔 ${project.name}` },
  });
  if (started.status !== 200) throw new Error(`insurance review: ${started.status}`);
  const steps: [string, unknown][] = [
    [as.insurer, registration({ permitNo: project.permitNo, name: project.name, communityName: project.name })],
    [
      as.insurer,
      policy({
        policyNo: `POL-${project.permitNo}`,
        leadShare: 100,
        coinsurers: [],
        reinsurers: [],
        tisCreditCode: demoCreditCode("tis-yjk"),
      }),
    ],
    [as.regulator, { decision: "confirm" }],
  ];
  for (const [who, submission] of steps) await completeNextAs(base, who, started.body.id, submission);
  const projectId: string = started.body.businessKey;
  const bytes = await unitsWorkbook(goodUnitRows(project.homes, project.phonePrefix));
  const form = new FormData();
  form.append(
    "file",
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }),
    "房屋清单.xlsx",
  );
  const imported = await callAs(base, as.insurer, `/api/v1/projects/${projectId}/units`, { method: "POST", body: form });
  if (imported.status !== 200) throw new Error(`units import: ${imported.status} ${JSON.stringify(imported.body)}`);
  const listed = await callAs(base, as.insurer, `/api/v1/projects/${projectId}/units?pageSize=100`);
  return { projectId, unitIds: listed.body.rows.map((r: { id: string }) => r.id) };
}

/**
 * A claim from acceptance to closing: accept (naming 利家物业), survey, register, assess as the
 * insurer; repair as the repairer; the owner's confirmation by the hotline; settle with 6200 元.
 */
export async function closeClaimOverHttp(base: string, as: { insurer: string; repairer: string; hotline: string }, instanceId: string) {
  const { insurer, repairer } = as;
  const today = kunmingToday();
  await completeNextAs(base, insurer, instanceId, { repairerCreditCode: demoCreditCode("rep-lj"), contactedOn: today });
  await completeNextAs(base, insurer, instanceId, {
    surveyedOn: today,
    part: "waterproofing",
    cause: "卫生间防水层破损",
    extent: "顶棚约2平方米渗水",
    photos: [await photoAs(base, insurer, "查勘.png")],
    recommendation: "重做防水层并修复顶棚",
  });
  await completeNextAs(base, insurer, instanceId, { decision: "register" });
  await completeNextAs(base, insurer, instanceId, { plan: "重做防水", estimatedCost: 6500 });
  await completeNextAs(base, repairer, instanceId, {
    startedOn: today,
    finishedOn: today,
    description: "重做卫生间防水层，修补顶棚",
    beforePhotos: [await photoAs(base, repairer, "维修前.png")],
    afterPhotos: [await photoAs(base, repairer, "维修后.png")],
  });
  await completeNextAs(base, as.hotline, instanceId, { decision: "accept" });
  await completeNextAs(base, insurer, instanceId, { part: "waterproofing", cause: "防水层破损", cost: 6200, paidAmount: 6200 });
}
