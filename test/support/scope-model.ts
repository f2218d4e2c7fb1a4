import { PgDialect } from "drizzle-orm/pg-core";
import type { Role } from "@db/schema/roles";
import type { Actor } from "~/server/auth/actor";
import { scope, seesAny, type ScopedResource } from "~/server/auth/scope.server";

// The authorization matrix must not restate the scope rules (a copy would agree with itself, not
// with the platform). So it asks the one scope function for its condition, renders the SQL, and
// evaluates that SQL over what the test knows about its objects. A condition shape this reader
// does not know makes it throw, naming the SQL: a new rule then needs a line here, never a guess.

export interface TaskFacts {
  id: string;
  organisationId: string | null;
  candidateRoles: string[];
  /** The parties of its flow (process_instances.parties). */
  parties?: Record<string, string>;
}

export interface ObjectFacts {
  id: string;
  /** organisation: its id; user: its organisation. */
  organisationId?: string;
  /** project: database column name -> organisation id (lead_insurer_id, tis_id, developer_id…). */
  columns?: Record<string, string | null>;
  /** project: the shares of its policy. */
  shares?: { kind: "insurer" | "reinsurer"; organisationId: string }[];
  /** instance: process_instances.parties. */
  parties?: Record<string, string>;
  /** instance: its task rows; task: itself. */
  tasks?: TaskFacts[];
  /** instance: the user who started it, and whether any of its steps has been submitted. */
  startedBy?: string;
  workedOn?: boolean;
  task?: TaskFacts;
  /** risk_event: the project it was raised on. */
  project?: ObjectFacts;
  /** instance, task: the organisations its flow was copied (抄送) to. */
  copiedTo?: string[];
}

export interface Subject {
  userId: string;
  organisationId: string;
  roles: Role[];
}

const dialect = new PgDialect();

const asActor = (subject: Subject) =>
  ({ ...subject, username: "matrix", displayName: "matrix", organisationName: null, ip: null }) as unknown as Actor;

/** Whether `subject` sees the object, by the platform's own scope condition. */
export function inScope(subject: Subject, resource: ScopedResource, object: ObjectFacts): boolean {
  const { sql, params } = dialect.sqlToQuery(scope(asActor(subject), resource));
  return evaluate(sql, params, object);
}

/** Whether any of the subject's roles has rows of the resource (a statistics area is offered only then). */
export const hasRowsOf = (subject: Subject, resource: ScopedResource): boolean => seesAny(asActor(subject), resource);

type Row = ObjectFacts;
type Atom = { re: RegExp; test: (m: RegExpExecArray, p: unknown[], row: Row) => boolean };

const param = (p: unknown[], n: string) => p[Number(n) - 1];
const pgArray = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.map(String)
    : String(v)
        .replace(/^\{|\}$/g, "")
        .split(",")
        .filter(Boolean)
        .map((s) => s.replace(/^"|"$/g, ""));

const ATOMS: Atom[] = [
  { re: /^true\b/, test: () => true },
  { re: /^false\b/, test: () => false },
  { re: /^"organisations"\."id" = \$(\d+)/, test: (m, p, row) => row.id === param(p, m[1]) },
  { re: /^"users"\."organisation_id" = \$(\d+)/, test: (m, p, row) => row.organisationId === param(p, m[1]) },
  { re: /^"audit_events"\."organisation_id" = \$(\d+)/, test: (m, p, row) => row.organisationId === param(p, m[1]) },
  { re: /^"projects"\."(\w+)" = \$(\d+)/, test: (m, p, row) => (row.columns?.[m[1]] ?? null) === param(p, m[2]) },
  {
    re: /^"projects"\."id" in \(select s\.project_id from "policy_shares" s where s\.organisation_id = \$(\d+) and s\.kind = \$(\d+)\)/,
    test: (m, p, row) => (row.shares ?? []).some((s) => s.organisationId === param(p, m[1]) && s.kind === param(p, m[2])),
  },
  // A reinsurer's risk events: those of the projects of the policies it has a share of.
  {
    re: /^"risk_events"\."project_id" in \(select s\.project_id from "policy_shares" s where s\.organisation_id = \$(\d+) and s\.kind = \$(\d+)\)/,
    test: (m, p, row) => (row.project?.shares ?? []).some((s) => s.organisationId === param(p, m[1]) && s.kind === param(p, m[2])),
  },
  { re: /^"tasks"\."organisation_id" = \$(\d+)/, test: (m, p, row) => row.task?.organisationId === param(p, m[1]) },
  { re: /^"tasks"\."organisation_id" is null/, test: (_m, _p, row) => row.task?.organisationId === null },
  {
    re: /^"tasks"\."candidate_roles" && \$(\d+)/,
    test: (m, p, row) => pgArray(param(p, m[1])).some((r) => row.task?.candidateRoles.includes(r)),
  },
  {
    re: /^exists \(select 1 from "instance_copies" c where c\.instance_id = (?:"tasks"\."instance_id"|"process_instances"\."id") and c\.organisation_id = \$(\d+)\)/,
    test: (m, p, row) => (row.copiedTo ?? []).includes(param(p, m[1]) as string),
  },
  {
    re: /^exists \(select 1 from jsonb_each_text\((?:"process_instances"\."parties"|i\.parties)\) p where p\.value = \$(\d+)\)/,
    test: (m, p, row) => Object.values(row.parties ?? {}).includes(param(p, m[1]) as string),
  },
];

// Rows seen through related rows: the inner condition is theirs. An instance through any task of
// it the actor may see; a task through its flow; a risk event through its project (one of the set
// of projects the condition selects).
// A set of projects written as a union (an insurer's: those it leads, union all those of the
// policies it has a share of): within the set's condition, the second part is one more "or".
const UNION_OF_SHARES = /^union all select s\.project_id from "policy_shares" s where s\.organisation_id = \$(\d+) and s\.kind = \$(\d+)/;

const THROUGH: { prefix: string; rows: (row: Row) => Row[] }[] = [
  {
    prefix: 'exists (select 1 from "process_instances" i where i.id = "tasks"."instance_id" and ',
    rows: (row) => [{ id: row.id, parties: row.task?.parties ?? {} }],
  },
  {
    prefix: 'exists (select 1 from "tasks" where "tasks"."instance_id" = "process_instances"."id" and ',
    rows: (row) => (row.tasks ?? []).map((task) => ({ id: task.id, task })),
  },
  {
    prefix: '"risk_events"."project_id" in (select "projects"."id" from "projects" where ',
    rows: (row) => (row.project ? [row.project] : []),
  },
];

function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return i;
  }
  throw new Error(`unbalanced scope condition: ${text}`);
}

function evaluate(text: string, params: unknown[], row: Row): boolean {
  const tokens: (boolean | "(" | ")" | "and" | "or")[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const through = THROUGH.find((t) => rest.startsWith(t.prefix));
    if (through) {
      const close = closingParen(text, i + through.prefix.indexOf("("));
      const inner = text.slice(i + through.prefix.length, close);
      tokens.push(through.rows(row).some((related) => evaluate(inner, params, related)));
      i = close + 1;
      continue;
    }
    const union = UNION_OF_SHARES.exec(rest);
    if (union) {
      tokens.push(
        "or",
        (row.shares ?? []).some((s) => s.organisationId === param(params, union[1]) && s.kind === param(params, union[2])),
      );
      i += union[0].length;
      continue;
    }
    const word = /^(and|or)\b/.exec(rest);
    if (word) {
      tokens.push(word[1] as "and" | "or");
      i += word[0].length;
      continue;
    }
    const atom = ATOMS.map((a) => ({ a, m: a.re.exec(rest) })).find((x) => x.m);
    if (atom) {
      tokens.push(atom.a.test(atom.m!, params, row));
      i += atom.m![0].length;
      continue;
    }
    if (rest[0] === "(" || rest[0] === ")") {
      tokens.push(rest[0]);
      i++;
      continue;
    }
    throw new Error(`the matrix cannot read this scope condition (at “${rest.slice(0, 60)}”): ${text}`);
  }
  return booleanExpression(tokens, text);
}

// SQL precedence: and binds tighter than or.
function booleanExpression(tokens: (boolean | string)[], text: string): boolean {
  let at = 0;
  const primary = (): boolean => {
    const t = tokens[at++];
    if (t === "(") {
      const v = or();
      if (tokens[at++] !== ")") throw new Error(`unbalanced scope condition: ${text}`);
      return v;
    }
    if (typeof t === "boolean") return t;
    throw new Error(`the matrix cannot read this scope condition: ${text}`);
  };
  const and = (): boolean => {
    let v = primary();
    while (tokens[at] === "and") {
      at++;
      v = primary() && v;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (tokens[at] === "or") {
      at++;
      v = and() || v;
    }
    return v;
  };
  const value = or();
  if (at !== tokens.length) throw new Error(`the matrix cannot read this scope condition: ${text}`);
  return value;
}
