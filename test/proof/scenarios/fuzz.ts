import http from "node:http";
import { OPERATIONS } from "~/server/api/contract.server";
import { makeApiKeyOverHttp } from "../../support/platform";
import {
  ApiClient,
  loggedErrors,
  prng,
  REQUEST,
  signedIn,
  startDemo,
  startDemoAtReview,
  Tally,
  type Answer,
  type PlatformCluster,
  type Prng,
  type ScenarioResult,
} from "./common";

export interface FuzzOptions {
  /** Generated requests. */
  cases: number;
  /** Of which chunked bodies larger than the platform's limit (each streams ~22 MB). */
  oversized: number;
  seed?: number;
}

// Generated requests against every API route and the task page's form action, with a session
// cookie or an API key: wrong types, NUL, huge strings, deep nesting, odd Unicode, unknown fields,
// invalid JSON, odd content types and query strings, chunked oversized bodies. Nothing may answer
// 5xx or not at all, and a refusal (4xx) must change nothing that is stored.

const FORM_DATA = "_data=routes%2F_app.tasks.%24id";
const HUGE = 1_000_000;
/** The platform's body limit is ATTACHMENT_MAX_MB (20) + 1 MB; a little more than that. */
const OVERSIZED_BYTES = 22 * 1024 * 1024;
const RAW = "\u0001RAW\u0001";

interface Case {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** Streamed without a length (Transfer-Encoding: chunked). */
  stream?: () => ReadableStream<Uint8Array>;
}

const ODD_STRINGS = [
  "\ud800",
  "\udfff\ud800",
  "\u202e反转\u202c",
  "\u200b\u200c\u200d\ufeff",
  "😀👩‍👩‍👧‍👦",
  "𠜎𠜱𠝹",
  "e\u0301\u0301\u0301",
  "\uffff\ufffe",
  "\u001b[31m",
  "Ω≈ç√∫",
];
const NASTY_STRINGS = [
  "",
  " ",
  "null",
  "undefined",
  "0",
  "-1",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "../../etc/passwd",
  "%00",
  "${7*7}",
  "{{7*7}}",
];

/** A JSON text for a random value (as text: deep nesting must not overflow our own stack). */
function valueText(r: Prng, depth = 0): { label: string; text: string } {
  const kind = r.int(depth > 2 ? 6 : 9);
  switch (kind) {
    case 0:
      return {
        label: "wrong type",
        text: r.pick(["null", "true", "false", "0", "-0", "1e308", "-1", "9007199254740993", "1.5", "1e-400"]),
      };
    case 1:
      return { label: "NUL in JSON string", text: JSON.stringify(r.pick(["\u0000", "a\u0000b", "证明\u0000", "\u0000".repeat(50)])) };
    case 2:
      return { label: "huge string", text: JSON.stringify(r.pick(["a", "证", "😀"]).repeat(HUGE / (1 + r.int(4)))) };
    case 3:
      return { label: "odd Unicode", text: JSON.stringify(r.pick(ODD_STRINGS)) };
    case 4:
      return { label: "nasty string", text: JSON.stringify(r.pick(NASTY_STRINGS)) };
    case 5: {
      const d = r.pick([100, 1000, 10_000, 100_000]);
      return r.chance(0.5)
        ? { label: "deeply nested JSON", text: "[".repeat(d) + "]".repeat(d) }
        : { label: "deeply nested JSON", text: '{"a":'.repeat(d) + "1" + "}".repeat(d) };
    }
    case 6: {
      const items = Array.from({ length: r.int(4) }, () => valueText(r, depth + 1));
      return { label: items[0]?.label ?? "wrong type", text: `[${items.map((i) => i.text).join(",")}]` };
    }
    case 7:
      return objectText(r, depth + 1);
    default:
      return { label: "wrong type", text: JSON.stringify(r.pick(["text", "2026-13-45", "00000000-0000-0000-0000-000000000000"])) };
  }
}

function objectText(r: Prng, depth: number): { label: string; text: string } {
  const keys = Array.from({ length: 1 + r.int(4) }, () =>
    r.pick(["__proto__", "constructor", "prototype", "", "\u0000", "unknown", "subject", "amount", "😀", "a".repeat(1000)]),
  );
  const parts = keys.map((k) => ({ key: k, value: valueText(r, depth + 1) }));
  return {
    label: `unknown fields, ${parts[0].value.label}`,
    text: `{${parts.map((p) => `${JSON.stringify(p.key)}:${p.value.text}`).join(",")}}`,
  };
}

const INVALID_JSON = [
  "",
  "{",
  '{"submission":',
  '{"a":}',
  "{'submission':{}}",
  '{"submission":{},}',
  "NaN",
  "undefined",
  "\ufeff{}",
  '{"submission":{"subject":"a\u0000b","amount":1}}',
  '{"x":1e999999}',
  '{"submission":{"subject":"x","amount":1},"submission":[]}',
  "[" + "{".repeat(5000),
  "\u0000",
];

/** The body of an operation that would be accepted, as the starting point of a mutation. */
function skeleton(operation: string): Record<string, unknown> {
  switch (operation) {
    case "signIn":
      return { username: "insurer", password: "wrong-password" };
    case "startProcess":
      return { title: "模糊测试", businessType: "manual", variables: {} };
    case "form":
      return { intent: "complete", submission: { ...REQUEST }, comment: "模糊测试" };
    default:
      return { submission: { ...REQUEST }, comment: "模糊测试" };
  }
}

/** Replaces one field (maybe nested) of the skeleton by raw JSON text. */
function mutate(r: Prng, body: Record<string, unknown>, raw: string): string {
  const holder = typeof body.submission === "object" && r.chance(0.6) ? (body.submission as Record<string, unknown>) : body;
  const keys = [...Object.keys(holder), "unknownField"];
  holder[r.pick(keys)] = RAW;
  return JSON.stringify(body).replace(JSON.stringify(RAW), () => raw);
}

/** A string percent-encoded as UTF-8; a lone surrogate (which encodeURIComponent refuses) as the bytes of its code unit. */
function percentEncoded(text: string): string {
  return [...text]
    .map((ch) => {
      try {
        return encodeURIComponent(ch);
      } catch {
        const c = ch.charCodeAt(0);
        return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join("");
      }
    })
    .join("");
}

function queryText(r: Prng): { label: string; text: string } {
  const keys = ["view", "process", "q", "overdue", "page", "pageSize", "status", "unknown", "__proto__", "constructor"];
  const values = [
    ["NUL in query string", "%00"],
    ["NUL in query string", "a%00b"],
    ["malformed percent-encoding", "%ZZ"],
    ["malformed percent-encoding", "%"],
    ["invalid UTF-8 in query", "%ED%A0%80"],
    ["invalid UTF-8 in query", "%FF%FE"],
    ["odd query value", "-1"],
    ["odd query value", "1e309"],
    ["odd query value", "NaN"],
    ["odd query value", "0x10"],
    ["odd query value", "1.5"],
    ["odd query value", ""],
    ["odd query value", "todo"],
    ["odd query value", "done"],
    ["odd Unicode in query", percentEncoded(r.pick(ODD_STRINGS))],
    ["huge query value", "a".repeat(r.pick([1000, 8000, 20_000]))],
  ] as const;
  const n = 1 + r.int(3);
  let label = "";
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const [l, v] = r.pick(values);
    label ||= l;
    parts.push(`${r.pick(keys)}=${v}`);
  }
  return { label, text: parts.join("&") };
}

function idSegment(r: Prng, ids: string[]): { label: string; text: string } {
  if (r.chance(0.7)) return { label: "", text: r.pick(ids) };
  return r.pick([
    { label: "bad id", text: "not-a-uuid" },
    { label: "NUL in path", text: "%00" },
    { label: "bad id", text: "00000000-0000-0000-0000-000000000000" },
    { label: "bad id", text: percentEncoded("😀\ud800") },
    { label: "bad id", text: "a".repeat(5000) },
    { label: "bad id", text: "..%2F..%2Fetc%2Fpasswd" },
    { label: "malformed percent-encoding", text: "%ZZ" },
  ]);
}

interface World {
  /** Open, unclaimed request tasks of the insurer: completions of these can succeed. */
  open: string[];
  /** Other ids worth aiming at: a review task (not the insurer's), a done task, instances. */
  others: string[];
  instances: string[];
}

function generate(r: Prng, world: World, auth: ApiClient[], oversized: boolean): Case {
  const client = r.chance(0.9) ? r.pick(auth) : undefined;
  const headers: Record<string, string> = client
    ? client.headers()
    : {
        ...r.pick<Record<string, string>>([
          {},
          { Authorization: "Bearer idi_not-a-real-key" },
          { Authorization: "Basic YTpi" },
          { Cookie: "idi_session=forged" },
        ]),
      };
  const ids = [...world.open, ...world.others, ...world.instances];
  const routes = [
    ...OPERATIONS.map((o) => ({ id: o.id, method: o.method.toUpperCase(), path: o.path })),
    { id: "form", method: "POST", path: "/tasks/{id}" },
    { id: "unknown", method: "GET", path: "/api/v1/{id}" },
  ];
  const route = r.pick(routes);
  // Every unusual part of the request is named, so a failure reads as what caused it.
  const labels: string[] = [];
  const id = idSegment(r, route.id === "getInstance" ? world.instances : ids);
  labels.push(id.label);
  const key = r.chance(0.7)
    ? { label: "", text: "demo-approval" }
    : r.pick([
        { label: "", text: "underwriting-report" },
        { label: "NUL in path", text: "%00" },
        { label: "bad key", text: "%E4%B8%8D" },
      ]);
  if (route.path.includes("{key}")) labels.push(key.label);
  // A message's name: one no built-in flow waits for (a flow outside scope or without it is a 404).
  let path = route.path.replace("{id}", id.text).replace("{key}", key.text).replace("{name}", encodeURIComponent("付款完成"));
  const method = r.chance(0.05) ? r.pick(["PUT", "DELETE", "PATCH", "GET", "POST"]) : route.method;
  const query: string[] = route.id === "form" ? [FORM_DATA] : [];
  if (r.chance(0.5)) {
    const q = queryText(r);
    labels.push(q.label);
    query.push(q.text);
  }
  if (query.length) path += `?${query.join("&")}`;

  if (oversized) {
    // A JSON body of ~22 MB in 64 KB chunks, with no Content-Length: the limit must hold for it too.
    const chunk = new TextEncoder().encode("a".repeat(64 * 1024));
    const target = route.id === "form" ? `/tasks/${r.pick(world.open)}?${FORM_DATA}` : `/api/v1/tasks/${r.pick(world.open)}/complete`;
    return {
      label: "chunked oversized body",
      method: "POST",
      path: target,
      headers: { ...auth[0].headers(), "Content-Type": "application/json" },
      stream: () => {
        let sent = 0;
        return new ReadableStream({
          pull(controller) {
            if (sent === 0) controller.enqueue(new TextEncoder().encode('{"submission":{"subject":"'));
            if (sent >= OVERSIZED_BYTES) {
              controller.enqueue(new TextEncoder().encode('","amount":1}}'));
              controller.close();
              return;
            }
            controller.enqueue(chunk);
            sent += chunk.length;
          },
        });
      },
    };
  }

  if (method !== route.method) labels.push(`${method} instead of ${route.method}`);
  const label = () => labels.filter(Boolean).join(" + ") || "plain";
  if (method === "GET" || method === "DELETE") return { label: label(), method, path, headers };
  // Bodies: mostly JSON of the operation's shape with one part replaced, else something else entirely.
  const choice = r.int(10);
  let body: string | Uint8Array;
  let contentType = "application/json";
  if (choice < 6) {
    const value = choice < 2 ? objectText(r, 1) : valueText(r);
    labels.push(value.label);
    body = mutate(r, skeleton(route.id), value.text);
  } else if (choice === 6) {
    const value = valueText(r);
    labels.push(`top-level ${value.label}`);
    body = value.text;
  } else if (choice === 7) {
    labels.push("invalid JSON");
    body = r.pick(INVALID_JSON);
  } else if (choice === 8) {
    labels.push("invalid UTF-8 body");
    body = new Uint8Array([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]);
  } else {
    // Form encodings, as a plain HTML form would send the task page (or a confused client the API).
    const params = new URLSearchParams({
      intent: r.pick(["complete", "claim", "comment", "urge", "", "\u0000"]),
      submission: r.pick(["[object Object]", "{}", "\u0000", "a".repeat(10_000)]),
    });
    for (const k of ["subject", "amount", "__proto__"]) if (r.chance(0.5)) params.append(k, r.pick(["1", "\u0000", "😀", ""]));
    contentType = r.pick([
      "application/x-www-form-urlencoded",
      "multipart/form-data",
      "text/plain",
      "application/json; charset=utf-16",
      "",
    ]);
    labels.push(`form body as ${contentType || "no content type"}`);
    body = params.toString();
  }
  if (contentType) headers["Content-Type"] = contentType;
  return { label: label(), method, path, headers, body };
}

/** Cases every run starts with, whatever the seed and size: the kinds of input most likely to reach the database. */
function fixedCases(world: World, auth: ApiClient[]): Case[] {
  const [cookie, key] = auth.map((a) => a.headers({ "Content-Type": "application/json" }));
  const task = world.open[0];
  const complete = (subject: string) => JSON.stringify({ submission: { subject, amount: 1 } });
  return [
    { label: "NUL in JSON string", method: "POST", path: `/api/v1/tasks/${task}/complete`, headers: key, body: complete("a\u0000b") },
    {
      label: "NUL in JSON string",
      method: "POST",
      path: `/tasks/${task}?${FORM_DATA}`,
      headers: cookie,
      body: JSON.stringify({ intent: "complete", submission: { subject: "a\u0000b", amount: 1 } }),
    },
    {
      label: "NUL in JSON string",
      method: "POST",
      path: "/api/v1/processes/demo-approval/instances",
      headers: key,
      body: JSON.stringify({ title: "a\u0000b" }),
    },
    { label: "NUL in query string", method: "GET", path: "/api/v1/tasks?q=%00", headers: key },
    { label: "NUL in query string", method: "GET", path: "/api/v1/projects?q=a%00b", headers: cookie },
    {
      label: "odd Unicode (lone surrogate)",
      method: "POST",
      path: "/api/v1/processes/demo-approval/instances",
      headers: key,
      body: JSON.stringify({ title: "\ud800" }),
    },
    {
      label: "odd Unicode (lone surrogate)",
      method: "POST",
      path: `/api/v1/tasks/${task}/complete`,
      headers: cookie,
      body: complete("\udfff\ud800"),
    },
    {
      label: "deeply nested JSON",
      method: "POST",
      path: `/api/v1/tasks/${task}/complete`,
      headers: key,
      body: `{"submission":${"[".repeat(100_000)}${"]".repeat(100_000)}}`,
    },
    {
      label: "form body as multipart/form-data without boundary",
      method: "POST",
      path: `/tasks/${task}?${FORM_DATA}`,
      headers: { ...cookie, "Content-Type": "multipart/form-data" },
      body: "intent=complete",
    },
  ];
}

function describeCase(c: Case): string {
  const body = c.stream
    ? `<chunked ${OVERSIZED_BYTES} bytes>`
    : typeof c.body === "string"
      ? JSON.stringify(c.body.length > 160 ? c.body.slice(0, 160) + `…(${c.body.length} chars)` : c.body)
      : c.body
        ? `<bytes ${Buffer.from(c.body).toString("hex")}>`
        : "";
  const path = c.path.length > 160 ? c.path.slice(0, 160) + `…(${c.path.length} chars)` : c.path;
  return `${c.method} ${path} [${c.headers["Content-Type"] ?? "no content type"}; ${c.headers.Authorization ? "API key" : c.headers.Cookie ? "cookie" : "no auth"}] ${body}`;
}

/**
 * Sends one case on a connection of its own (node:http, no keep-alive): a connection the server
 * closed after an earlier refusal cannot be mistaken for this request's failure, and an answer that
 * comes before the whole body was sent (413) is taken as the answer.
 */
function send(base: string, c: Case): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    let answered = false;
    const finish = (a: Answer) => {
      if (answered) return;
      answered = true;
      resolve(a);
    };
    const req = http.request({ host: hostname, port, path: c.path, method: c.method, headers: c.headers, agent: false, timeout: 60_000 });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          // not JSON (an HTML error page)
        }
        finish({ status: res.statusCode, body, text });
        req.destroy();
      });
      res.on("error", () => finish({ status: res.statusCode, body: null, text: "" }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (e: NodeJS.ErrnoException) => finish({ status: undefined, body: null, text: "", error: e.code ?? e.message }));
    if (!c.stream) return void req.end(c.body);
    // Chunked: written as the socket takes it, and no further once an answer has come.
    void (async () => {
      const reader = c.stream!().getReader();
      while (!answered && !req.destroyed) {
        const { value, done } = await reader.read();
        if (done) break;
        if (!req.write(value)) await new Promise((r) => req.once("drain", r).once("close", r));
      }
      if (!req.destroyed) req.end();
    })();
  });
}

/** What is stored, as far as a refusal could change it. Sign-in attempts are audited by design (the throttle): left out. */
type Fingerprint = string;

export async function fuzz(cluster: PlatformCluster, { cases, oversized, seed = 20261126 }: FuzzOptions): Promise<ScenarioResult> {
  const r = prng(seed);
  const base = cluster.url;
  const insurer = await signedIn(base, "insurer");
  const key = await makeApiKeyOverHttp(base, "中国人民财产保险股份有限公司昆明市分公司", ["insurer"]);
  const insurerKey = new ApiClient(base, { bearer: key });
  const auth = [insurer, insurerKey];

  const world: World = { open: [], others: [], instances: [] };
  for (let i = 0; i < 3; i++) {
    const started = await startDemo(insurer, `模糊测试 ${i}`);
    world.open.push(started.taskId);
    world.instances.push(started.instanceId);
  }
  const atReview = await startDemoAtReview(insurer, "模糊测试：审核中");
  world.others.push(atReview.reviewTaskId, crypto.randomUUID());
  world.instances.push(atReview.instanceId);

  // PostgreSQL: counted in SQL beside the process. PGlite cannot be read beside its process: the
  // insurer's view through the API stands in (its open tasks, claims and done count).
  const fingerprint = async (): Promise<Fingerprint> => {
    if (cluster.kind === "postgres")
      return cluster.withSql(async (sql) =>
        JSON.stringify(
          await sql(`select (select count(*) from tasks where status = 'open') as open,
                            (select count(*) from tasks where status = 'completed') as completed,
                            (select count(*) from tasks where assignee_id is not null) as claimed,
                            (select count(*) from process_instances) as instances,
                            (select count(*) from workflow_timers) as timers,
                            (select count(*) from comments) as comments,
                            (select count(*) from audit_events where action not like 'auth.%') as audit`),
        ),
      );
    const todo = await insurerKey.json<{ rows: { id: string; status: string; assigneeName: string | null }[]; total: number }>(
      "GET",
      "/api/v1/tasks?pageSize=100",
    );
    const done = await insurerKey.json<{ total: number }>("GET", "/api/v1/tasks?view=done&pageSize=1");
    return JSON.stringify([todo.total, todo.rows.map((t) => [t.id, t.status, t.assigneeName]), done.total]);
  };
  /** After an accepted change: targets that were completed or claimed are replaced by fresh ones. */
  const refill = async () => {
    const still: string[] = [];
    for (const id of world.open) {
      const task = await insurerKey.call("GET", `/api/v1/tasks/${id}`);
      const t = task.body as { status?: string; canComplete?: boolean };
      if (task.status === 200 && t.status === "open" && t.canComplete) still.push(id);
      else world.others.push(id);
    }
    while (still.length < 3) {
      const started = await startDemo(insurer, "模糊测试（补充）");
      still.push(started.taskId);
      world.instances.push(started.instanceId);
    }
    world.open = still;
    world.others = world.others.slice(-10);
  };

  const tally = new Tally();
  const violations: string[] = [];
  const byLabel = new Map<string, { count: number; example: string }>();
  const note = (what: string, c: Case, answer: Answer) => {
    const k = `${what}: ${c.label}`;
    const entry = byLabel.get(k) ?? {
      count: 0,
      example: `${describeCase(c)} → ${answer.status ?? answer.error} ${answer.text.slice(0, 160)}`,
    };
    entry.count++;
    byLabel.set(k, entry);
  };
  const fixed = fixedCases(world, auth);
  let before = await fingerprint();
  let changedByRefusal = 0;
  let resetWhileSending = 0;
  const oversizedEvery = oversized ? Math.floor(cases / (oversized + 1)) : Infinity;
  let oversizedSent = 0;
  for (let i = 0; i < cases; i++) {
    const big = oversizedSent < oversized && i > 0 && i % oversizedEvery === 0;
    if (big) oversizedSent++;
    const c = i < fixed.length ? fixed[i] : generate(r, world, auth, big);
    const answer = await send(base, c);
    tally.count(answer.status);
    // Node's server may answer a refusal before reading a large body and close the connection:
    // the client, still sending, sees the reset instead. A figure, not a failure (the health check
    // after the run tells a crash apart).
    const large = (c.body?.length ?? 0) > 64 * 1024 || !!c.stream;
    if (answer.status === undefined && large && ["EPIPE", "ECONNRESET"].includes(answer.error ?? "")) resetWhileSending++;
    else if (answer.status === undefined) note("no answer", c, answer);
    else if (answer.status >= 500) note(`${answer.status}`, c, answer);
    if (big && answer.status !== 413 && answer.status !== undefined)
      note(`oversized chunked body answered ${answer.status ?? answer.error} (want 413)`, c, answer);
    if (c.method === "GET") continue;
    const after = await fingerprint();
    if (after === before) continue;
    if (answer.status !== undefined && answer.status >= 400) {
      changedByRefusal++;
      note(`state changed by a ${answer.status} refusal (${before} → ${after})`, c, answer);
    }
    await refill();
    before = await fingerprint();
  }
  const healthy = (await fetch(`${base}/healthz`).catch(() => undefined))?.status;
  if (healthy !== 200) violations.push(`/healthz answered ${healthy ?? "nothing"} after the fuzz`);
  for (const m of loggedErrors(cluster)) violations.push(`the server logged: ${m}`);
  for (const [what, { count, example }] of byLabel) violations.push(`${count}× ${what}, e.g. ${example}`);
  return tally.result(
    "fuzz",
    `${cases} cases (seed ${seed}), ${oversizedSent} chunked oversized`,
    { "5xx kinds": [...byLabel.keys()].filter((k) => /^5\d\d:/.test(k)).length, changedByRefusal, resetWhileSending },
    violations,
  );
}
