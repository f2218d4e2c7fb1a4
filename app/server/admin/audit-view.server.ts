import { eq, inArray, or } from "drizzle-orm";
import {
  apiKeys,
  attachments,
  claims,
  formDefinitions,
  organisations,
  processDefinitions,
  processInstances,
  projects,
  riskEvents,
  units,
  riskReports,
  inspections,
  tasks,
  users,
  type AuditEvent,
} from "@db/schema";
import { riskEventNumber } from "~/shared/risk-labels";
import { CLAIM_STATUS_LABELS, claimNumber, parseClaimNumber } from "~/shared/claim-labels";
import { TASK_STATUS_LABELS } from "~/shared/labels";
import { unitLabel } from "../claims/coverage.server";
import { auditActionLabel, auditSubjectLabel } from "~/shared/audit-actions";
import { db } from "../db.server";
import { formSchema } from "../forms/registry.server";
import { ACTION_FIELDS, FIELD_LABELS, HIDDEN_FIELDS, formatValue, isUuid, type NameBook } from "./audit-fields.server";

// An audit event as its reader reads it: who (name and organisation), what (the action's label),
// on what (the subject's title, linked), and the fields it changed, before and after, by name.
// Everything a page of events names is looked up once for the page.

export interface AuditChange {
  field: string;
  before: string;
  after: string;
}

export interface AuditLine {
  id: number;
  at: string;
  who: string;
  organisationName: string | null;
  action: string;
  subject: { type: string; title: string; href: string | null };
  changes: AuditChange[];
  ip: string | null;
}

/** The form whose fields an action's data are, for their titles (a task's own form comes from the task). */
const ACTION_FORMS: Record<string, string> = {
  "project.create": "insurance-registration",
  "project.update": "insurance-registration",
  "policy.record": "insurance-policy",
};

type Row = AuditEvent & { organisationName: string | null };
type FieldInfo = { title?: string; options?: Map<unknown, string> };

export async function describeAuditEvents(rows: Row[]): Promise<AuditLine[]> {
  const book = await lookUp(rows);
  const lines: AuditLine[] = [];
  for (const row of rows) {
    const task = row.subjectType === "task" ? book.tasks.get(row.subjectId) : undefined;
    const formKey = ACTION_FORMS[row.action];
    const own = ACTION_FIELDS[row.action];
    const schema = own
      ? undefined
      : task
        ? await formSchema(task.formKey, task.formVersion)
        : formKey
          ? await formSchema(formKey, null)
          : undefined;
    const fields = withStatusOf(row.subjectType, own ? actionFields(own) : schema ? schemaFields(schema) : new Map<string, FieldInfo>());
    // A task's completion records its form's submission: its fields are the change.
    const unwrap = (v: unknown) =>
      row.action === "task.complete" && v && typeof v === "object"
        ? { ...(v as { submission?: object }).submission, comment: (v as { comment?: unknown }).comment }
        : v;
    lines.push({
      id: row.id,
      at: row.at.toISOString(),
      who: row.actorName,
      organisationName: row.organisationName,
      action: auditActionLabel(row.action),
      subject: subjectOf(row, book),
      changes: changesOf(unwrap(row.before), unwrap(row.after), fields, book.names, !own),
      ip: row.ip,
    });
  }
  return lines;
}

/** Statuses whose words depend on what they are of: a task's open is 待办理, a risk event's 待整改. */
const STATUS_OF: Record<string, Map<unknown, string>> = {
  task: new Map(Object.entries(TASK_STATUS_LABELS)),
  claim: new Map(Object.entries(CLAIM_STATUS_LABELS)),
};

function withStatusOf(subjectType: string, fields: Map<string, FieldInfo>): Map<string, FieldInfo> {
  const options = STATUS_OF[subjectType];
  return options && !fields.has("status") ? new Map(fields).set("status", { title: "状态", options }) : fields;
}

function subjectOf(row: Row, book: Awaited<ReturnType<typeof lookUp>>): AuditLine["subject"] {
  const type = auditSubjectLabel(row.subjectType);
  const id = row.subjectId.toLowerCase();
  const gone = { type, title: "（已不存在的记录）", href: null };
  const named = (title: string | undefined, href: string | null) => (title ? { type, title, href } : gone);
  switch (row.subjectType) {
    case "project":
      return named(book.names.byId.get(id), `/projects/${id}`);
    case "task": {
      const task = book.tasks.get(id);
      return task ? { type, title: `${task.name}（${task.instanceTitle}）`, href: `/tasks/${id}` } : gone;
    }
    case "process_instance":
      return named(book.names.byId.get(id), `/instances/${id}`);
    case "user":
      return named(book.names.byId.get(id), `/admin/users/${id}`);
    case "organisation":
      return named(book.names.byId.get(id), `/admin/organisations/${id}`);
    case "account": {
      const user = book.accounts.get(row.subjectId);
      return user ? { type, title: user.displayName, href: `/admin/users/${user.id}` } : { type, title: row.subjectId, href: null };
    }
    case "api_key":
      return named(book.names.byId.get(id), "/admin/api-keys");
    case "attachment":
      return named(book.names.byId.get(id), null);
    case "form_definition":
    case "process_definition":
      return named(book.names.byId.get(id), row.subjectType === "process_definition" ? "/admin/processes" : null);
    case "risk_event":
      return named(book.names.byId.get(id), `/risk/events/${id}`);
    case "claim":
      return named(book.names.byId.get(id), `/claims/${id}`);
    case "claim_lookup": {
      // The number an owner typed on the page: linked when it is a claim's.
      const claim = book.claimsByNumber.get(row.subjectId);
      return { type, title: row.subjectId, href: claim ? `/claims/${claim}` : null };
    }
    case "owner":
    case "phone_code":
      // An owner (a chat) and a code are known by the phone, masked as everywhere staff read it.
      return { type, title: String((row.after as { phone?: unknown } | null)?.phone ?? "—"), href: null };
    case "address":
      return { type, title: row.subjectId, href: null };
    case "risk_report":
    case "inspection":
      return named(book.names.byId.get(id), null);
    case "platform":
      return { type, title: "昆明市住宅工程质量潜在缺陷保险信息平台", href: null };
    case "export": {
      // Which list, and how many rows it held (both kept in `after` when it was exported).
      const { list, rows } = (row.after ?? {}) as { list?: unknown; rows?: unknown };
      return { type, title: `${String(list ?? "")}（${typeof rows === "number" ? rows : "—"} 行）`, href: null };
    }
    case "report":
      // A statistical report made or downloaded: its title as it was, linked to the report.
      return named(stringOr((row.after as { title?: unknown } | null)?.title), `/reports/${id}`);
    default:
      return { type, title: "", href: null };
  }
}

const stringOr = (value: unknown): string | undefined => (typeof value === "string" && value ? value : undefined);

/** Every name a page of events needs, in one query per kind of record. */
async function lookUp(rows: Row[]) {
  const ids = new Set<string>();
  const keys = new Set<string>();
  const collect = (v: unknown, key = ""): void => {
    if (isUuid(v)) ids.add(v.toLowerCase());
    else if (key === "key" && typeof v === "string") keys.add(v);
    else if (Array.isArray(v)) v.forEach((x) => collect(x, key));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) collect(x, k);
  };
  for (const row of rows) {
    if (isUuid(row.subjectId)) ids.add(row.subjectId.toLowerCase());
    collect(row.before);
    collect(row.after);
  }
  const usernames = [...new Set(rows.filter((r) => r.subjectType === "account").map((r) => r.subjectId))];
  const lookedUp = rows.filter((r) => r.subjectType === "claim_lookup").map((r) => parseClaimNumber(r.subjectId));
  const seqs = [...new Set(lookedUp.filter((seq): seq is number => seq !== null))];
  const taskIds = rows.filter((r) => r.subjectType === "task" && isUuid(r.subjectId)).map((r) => r.subjectId.toLowerCase());
  const idList = [...ids];
  const when = <T>(cond: boolean, query: () => Promise<T[]>) => (cond ? query() : Promise.resolve([] as T[]));
  const any = idList.length > 0;
  const [
    projectRows,
    orgRows,
    userRows,
    instanceRows,
    keyRows,
    fileRows,
    formRows,
    processRows,
    taskRows,
    accountRows,
    processKeyRows,
    formKeyRows,
    riskRows,
    claimRows,
  ] = await Promise.all([
    when(any, () => db().select({ id: projects.id, name: projects.name }).from(projects).where(inArray(projects.id, idList))),
    when(any, () =>
      db().select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, idList)),
    ),
    when(any, () => db().select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, idList))),
    when(any, () =>
      db()
        .select({ id: processInstances.id, name: processInstances.title })
        .from(processInstances)
        .where(inArray(processInstances.id, idList)),
    ),
    when(any, () => db().select({ id: apiKeys.id, name: apiKeys.name }).from(apiKeys).where(inArray(apiKeys.id, idList))),
    when(any, () =>
      db().select({ id: attachments.id, name: attachments.fileName }).from(attachments).where(inArray(attachments.id, idList)),
    ),
    when(any, () =>
      db()
        .select({ id: formDefinitions.id, title: formDefinitions.title, version: formDefinitions.version })
        .from(formDefinitions)
        .where(inArray(formDefinitions.id, idList)),
    ),
    when(any, () =>
      db()
        .select({ id: processDefinitions.id, title: processDefinitions.name, version: processDefinitions.version })
        .from(processDefinitions)
        .where(inArray(processDefinitions.id, idList)),
    ),
    when(taskIds.length > 0, () =>
      db()
        .select({
          id: tasks.id,
          name: tasks.name,
          formKey: tasks.formKey,
          formVersion: tasks.formVersion,
          instanceTitle: processInstances.title,
        })
        .from(tasks)
        .innerJoin(processInstances, eq(tasks.instanceId, processInstances.id))
        .where(inArray(tasks.id, taskIds)),
    ),
    when(usernames.length > 0, () =>
      db()
        .select({ id: users.id, username: users.username, displayName: users.displayName })
        .from(users)
        .where(inArray(users.username, usernames)),
    ),
    when(keys.size > 0, () =>
      db()
        .select({ key: processDefinitions.key, name: processDefinitions.name })
        .from(processDefinitions)
        .where(inArray(processDefinitions.key, [...keys])),
    ),
    when(keys.size > 0, () =>
      db()
        .select({ key: formDefinitions.key, name: formDefinitions.title })
        .from(formDefinitions)
        .where(inArray(formDefinitions.key, [...keys])),
    ),
    when(any, () => riskNames(idList)),
    when(any || seqs.length > 0, () => claimNames(idList, seqs)),
  ]);
  const byId = new Map<string, string>();
  for (const r of [...projectRows, ...orgRows, ...userRows, ...instanceRows, ...keyRows, ...fileRows, ...riskRows, ...claimRows])
    byId.set(r.id, r.name);
  for (const r of [...formRows, ...processRows]) byId.set(r.id, `${r.title}（第${r.version}版）`);
  const names: NameBook = {
    byId,
    processByKey: new Map(processKeyRows.map((r) => [r.key, r.name])),
    formByKey: new Map(formKeyRows.map((r) => [r.key, r.name])),
  };
  return {
    names,
    tasks: new Map(taskRows.map((t) => [t.id, t])),
    accounts: new Map(accountRows.map((u) => [u.username, u])),
    claimsByNumber: new Map(claimRows.map((c) => [claimNumber(c.seq), c.id])),
  };
}

/** A form schema's data fields by path (layout nodes left out), with their titles and choices. */
function schemaFields(schema: { properties?: Record<string, unknown> }): Map<string, FieldInfo> {
  const out = new Map<string, FieldInfo>();
  const walk = (node: { properties?: Record<string, unknown> } | undefined, path: string) => {
    // Stored schemas keep their order in x-index (jsonb does not keep the order of keys).
    const entries = Object.entries(node?.properties ?? {}).sort(
      ([, a], [, b]) => ((a as { "x-index"?: number })["x-index"] ?? 0) - ((b as { "x-index"?: number })["x-index"] ?? 0),
    );
    for (const [name, raw] of entries) {
      const child = raw as {
        type?: string;
        title?: string;
        enum?: unknown;
        properties?: Record<string, unknown>;
        items?: { properties?: Record<string, unknown> };
      };
      if (child.type === "void") {
        walk(child, path);
        continue;
      }
      const at = path ? `${path}.${name}` : name;
      const options = Array.isArray(child.enum)
        ? new Map(
            child.enum
              .filter(
                (o): o is { value: unknown; label: string } =>
                  !!o && typeof o === "object" && typeof (o as { label?: unknown }).label === "string",
              )
              .map((o) => [o.value, o.label]),
          )
        : undefined;
      out.set(at, { title: child.title, options });
      if (child.properties) walk(child as { properties: Record<string, unknown> }, at);
      if (child.items?.properties) walk(child.items as { properties: Record<string, unknown> }, at);
    }
  };
  walk(schema, "");
  return out;
}

/** An action's own field names and values (ACTION_FIELDS), as a form's fields are read. */
function actionFields(own: (typeof ACTION_FIELDS)[string]): Map<string, FieldInfo> {
  return new Map(
    Object.entries(own).map(([key, { label, values }]) => [
      key,
      { title: label, options: values ? new Map(Object.entries(values)) : undefined },
    ]),
  );
}

type Leaf = { label: string; key: string; value: unknown; options?: Map<unknown, string> };

/**
 * The labelled leaves of a before or after value; a field with no Chinese name is not shown. The
 * generic names (FIELD_LABELS) apply unless the action names its fields itself.
 */
function leavesOf(value: unknown, fields: Map<string, FieldInfo>, generic: boolean): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  const isLeafObject = (o: Record<string, unknown>) => typeof o.name === "string" && (isUuid(o.id) || typeof o.creditCode === "string");
  const walk = (v: unknown, schemaPath: string, dataPath: string, parentLabel: string, key: string) => {
    const info = fields.get(schemaPath);
    const own = info?.title ?? (generic ? FIELD_LABELS[key] : undefined);
    const label = !own ? "" : parentLabel && !own.includes(parentLabel) ? `${parentLabel} · ${own}` : own;
    if (v && typeof v === "object" && !Array.isArray(v) && !isLeafObject(v as Record<string, unknown>)) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>))
        if (!HIDDEN_FIELDS.has(k))
          walk(x, schemaPath ? `${schemaPath}.${k}` : k, dataPath ? `${dataPath}.${k}` : k, label || parentLabel, k);
      return;
    }
    if (Array.isArray(v) && v.some((x) => x && typeof x === "object" && !isLeafObject(x as Record<string, unknown>))) {
      // Each row of a list by its number: 共保公司（第1项） · 份额（%）.
      v.forEach((item, i) => {
        for (const [k, x] of Object.entries((item ?? {}) as Record<string, unknown>))
          if (!HIDDEN_FIELDS.has(k)) walk(x, `${schemaPath}.${k}`, `${dataPath}.${i}.${k}`, `${label || parentLabel}（第${i + 1}项）`, k);
      });
      return;
    }
    if (label) out.set(dataPath, { label, key, value: v, options: info?.options });
  };
  if (value && typeof value === "object") walk(value, "", "", "", "");
  return out;
}

function changesOf(before: unknown, after: unknown, fields: Map<string, FieldInfo>, names: NameBook, generic: boolean): AuditChange[] {
  const was = leavesOf(before, fields, generic);
  const now = leavesOf(after, fields, generic);
  const changes: AuditChange[] = [];
  // In the form's order (rows of a list together), then the fields the form does not have.
  const order = [...fields.keys()];
  const rank = (path: string) => {
    const at = order.indexOf(path.replace(/\.\d+(?=\.|$)/g, ""));
    return at < 0 ? order.length : at;
  };
  const sortKey = (path: string) => {
    const row = /^(.*?)\.(\d+)\.(.*)$/.exec(path);
    return row ? [rank(row[1]), Number(row[2]), rank(path)] : [rank(path), -1, 0];
  };
  const compare = (a: string, b: string) => {
    const [x, y] = [sortKey(a), sortKey(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || a.localeCompare(b);
  };
  const paths = [...new Set([...was.keys(), ...now.keys()])].sort(compare);
  for (const path of paths) {
    const leaf = (now.get(path) ?? was.get(path))!;
    const text = (l: Leaf | undefined) => (l ? formatValue(l.key, l.value, names, l.options) : "");
    const change = { field: leaf.label, before: text(was.get(path)), after: text(now.get(path)) };
    if (change.before !== change.after) changes.push(change);
  }
  return changes;
}

/** Claims by id, and those of the numbers owners typed: LP000123 with the home (宝象壹号 3栋1单元1001). */
async function claimNames(ids: string[], seqs: number[]) {
  const rows = await db()
    .select({ id: claims.id, seq: claims.seq, project: projects.name, unit: units })
    .from(claims)
    .innerJoin(projects, eq(projects.id, claims.projectId))
    .innerJoin(units, eq(units.id, claims.unitId))
    .where(or(ids.length ? inArray(claims.id, ids) : undefined, seqs.length ? inArray(claims.seq, seqs) : undefined));
  return rows.map((c) => ({ id: c.id, seq: c.seq, name: `${claimNumber(c.seq)}（${c.project} ${unitLabel(c.unit)}）` }));
}

/** Risk events (FX000123 and their project), reports (their title) and inspections (project and day) by id. */
async function riskNames(ids: string[]): Promise<{ id: string; name: string }[]> {
  const [events, reports, visits] = await Promise.all([
    db()
      .select({ id: riskEvents.id, seq: riskEvents.seq, project: projects.name })
      .from(riskEvents)
      .innerJoin(projects, eq(projects.id, riskEvents.projectId))
      .where(inArray(riskEvents.id, ids)),
    db().select({ id: riskReports.id, name: riskReports.title }).from(riskReports).where(inArray(riskReports.id, ids)),
    db()
      .select({ id: inspections.id, day: inspections.inspectedOn, project: projects.name })
      .from(inspections)
      .innerJoin(projects, eq(projects.id, inspections.projectId))
      .where(inArray(inspections.id, ids)),
  ]);
  return [
    ...events.map((e) => ({ id: e.id, name: `${riskEventNumber(e.seq)}（${e.project}）` })),
    ...reports,
    ...visits.map((v) => ({ id: v.id, name: `${v.project} ${v.day} 现场检查` })),
  ];
}
