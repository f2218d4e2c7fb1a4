import { compileErrors, validate } from "@readme/openapi-parser";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { usePlatform } from "../support/platform";

// The document is for insurers' integration teams: what matters is that their standard tools accept
// it. So it is fetched as they would fetch it, checked by a standard validator, and turned into a
// typed client by a standard generator whose output must compile.

const { url } = usePlatform();

let document: OpenAPI3;

beforeAll(async () => {
  const response = await fetch(`${url()}/api/v1/openapi.json`);
  expect(response.status).toBe(200);
  document = await response.json();
});

/** Every `$ref` string anywhere in a JSON value. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === "$ref" && typeof inner === "string" ? [inner] : refsIn(inner)));
}

/** Type-checks in-memory TypeScript files (strict) and returns the diagnostics as text. */
function typeErrors(files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    // No DOM or @types: the generated client needs neither, and loading them triples the check's time.
    lib: ["lib.es2022.d.ts"],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const virtual = (name: string) => files[name.replace(/^\/virtual\//, "")];
  const { fileExists, directoryExists, readFile, getSourceFile } = host;
  host.fileExists = (name) => virtual(name) !== undefined || fileExists(name);
  host.directoryExists = (name) => name === "/virtual" || (directoryExists?.(name) ?? true);
  host.readFile = (name) => virtual(name) ?? readFile(name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = virtual(name);
    return text === undefined ? getSourceFile(name, language, ...rest) : ts.createSourceFile(name, text, language);
  };
  const program = ts.createProgram(
    Object.keys(files).map((name) => `/virtual/${name}`),
    options,
    host,
  );
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

describe("the OpenAPI document", () => {
  it("points every $ref at a schema it defines under components/schemas", () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(0);
    const defined = Object.keys(document.components?.schemas ?? {});
    const dangling = refs.filter((ref) => !defined.some((name) => ref === `#/components/schemas/${name}`));
    expect(dangling).toEqual([]);
    expect(defined).toEqual(
      expect.arrayContaining([
        "TaskSummary",
        "Instance",
        "ProjectSummary",
        "HistoryEntry",
        "Error",
        "RiskEventSummary",
        "RiskEvent",
        "ProjectRisk",
        "Unit",
        "UnitPage",
        "UnitsImported",
        "ClaimSummary",
        "ClaimPage",
        "Claim",
        "ReportClaim",
      ]),
    );
  });

  it("is valid OpenAPI 3.1 for a standard validator", async () => {
    // The validator dereferences in place; keep the fetched document intact for the other tests.
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? "" : compileErrors(result)).toBe("");
    expect(result.specification).toBe("OpenAPI");
  });

  it("declares every path parameter and an error response with a description for each failure", () => {
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(item ?? {})) {
        const op = operation as { parameters?: { name: string; in: string; required?: boolean }[]; responses: object; security?: [] };
        const where = `${method.toUpperCase()} ${path}`;
        const declared = (op.parameters ?? []).filter((p) => p.in === "path");
        expect(declared.map((p) => p.name).sort(), where).toEqual([...names].sort());
        expect(
          declared.every((p) => p.required),
          where,
        ).toBe(true);
        const responses = op.responses as Record<string, { description?: string; content?: Record<string, { schema: unknown }> }>;
        // Every operation can fail unexpectedly; signed-in operations can also be refused a session.
        expect(Object.keys(responses), where).toEqual(expect.arrayContaining(["200", "500", ...(op.security ? [] : ["401"])]));
        for (const [status, response] of Object.entries(responses)) {
          expect(response.description, `${where} ${status}`).toBeTruthy();
          // 2xx are successes (201: a deploy made a new version); the rest are failures.
          if (!status.startsWith("2"))
            expect(response.content?.["application/json"].schema, `${where} ${status}`).toEqual({ $ref: "#/components/schemas/Error" });
        }
      }
    }
  });

  it("describes the homes import as a multipart upload of one .xlsx in the field file", () => {
    const post = (document.paths?.["/api/v1/projects/{id}/units"] as { post: { requestBody: { content: Record<string, unknown> } } }).post;
    expect(post.requestBody.content).toEqual({
      "multipart/form-data": {
        schema: {
          type: "object",
          required: ["file"],
          properties: { file: expect.objectContaining({ type: "string", format: "binary" }) },
        },
        encoding: { file: { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } },
      },
    });
  });

  it("describes the attachments integrations upload and read: a multipart file in, its reference out; the file's bytes back", () => {
    const upload = (
      document.paths?.["/attachments"] as {
        post: { requestBody: { content: Record<string, unknown> }; responses: Record<string, unknown> };
      }
    ).post;
    expect(upload.requestBody.content["multipart/form-data"]).toMatchObject({
      schema: { required: ["file"], properties: { file: { type: "string", format: "binary" } } },
    });
    expect(upload.responses[200]).toMatchObject({ content: { "application/json": { schema: { $ref: "#/components/schemas/FileRef" } } } });
    const read = (document.paths?.["/attachments/{id}"] as { get: { responses: Record<string, { content: Record<string, unknown> }> } })
      .get;
    expect(Object.keys(read.responses[200].content)).toEqual(expect.arrayContaining(["application/pdf", "image/jpeg", "image/png"]));
    expect(Object.keys(read.responses)).toEqual(expect.arrayContaining(["401", "404"]));
  });

  it("lets openapi-typescript generate a client whose types compile and name the operations and schemas", async () => {
    const generated = astToString(await openapiTS(structuredClone(document)));
    expect(generated).toContain('components["schemas"]["TaskSummary"]');
    expect(generated).toContain('components["schemas"]["HistoryEntry"]');
    expect(generated).toContain('components["schemas"]["ProjectSummary"]');
    for (const id of [
      "signIn",
      "listTasks",
      "getTask",
      "completeTask",
      "startProcess",
      "getInstance",
      "withdrawInstance",
      "listProjects",
      "getProject",
      "lookupOrganisations",
      "listRiskEvents",
      "getRiskEvent",
      "urgeRiskEvent",
      "getProjectRisk",
      "listUnits",
      "importUnits",
      "listClaims",
      "getClaim",
      "reportClaim",
      "uploadAttachment",
      "getAttachment",
    ])
      expect(generated).toContain(`${id}: {`);

    // How an integration team would use the client; the @ts-expect-error lines prove the types are
    // real rather than `unknown`, which would accept anything.
    const usage = `
      import type { components, operations, paths } from "./api";
      type Json<T> = T extends { content: { "application/json": infer B } } ? B : never;
      type TaskPage = Json<operations["listTasks"]["responses"][200]>;
      const page: TaskPage = { rows: [], total: 0, page: 1, pageSize: 20 };
      const summary: components["schemas"]["TaskSummary"] | undefined = page.rows[0];
      const history: components["schemas"]["HistoryEntry"][] = [] as Json<operations["getInstance"]["responses"][200]>["history"];
      const projects: components["schemas"]["ProjectSummary"][] = [] as Json<operations["listProjects"]["responses"][200]>["rows"];
      const found: components["schemas"]["RegisteredOrganisation"][] = [] as Json<operations["lookupOrganisations"]["responses"][200]>;
      const events: components["schemas"]["RiskEventSummary"][] = [] as Json<operations["listRiskEvents"]["responses"][200]>["rows"];
      const eventNumber: string | undefined = events[0]?.number;
      const counts: Json<operations["getProjectRisk"]["responses"][200]>["counts"]["byLevel"] = { general: 1, major: 0, critical: 2 };
      const level: NonNullable<operations["listRiskEvents"]["parameters"]["query"]>["level"] = "critical";
      const urge: Json<operations["urgeRiskEvent"]["requestBody"]> = { message: "请尽快整改" };
      const taskId: paths["/api/v1/tasks/{id}/complete"]["post"]["parameters"]["path"]["id"] = "00000000-0000-0000-0000-000000000000";
      const completion: Json<operations["completeTask"]["requestBody"]> = { submission: { subject: "申请事项" } };
      const failure: Json<operations["completeTask"]["responses"][422]> = { error: "validation_failed", message: "提交的数据有误" };
      const homes: components["schemas"]["Unit"][] = [] as Json<operations["listUnits"]["responses"][200]>["rows"];
      const imported: Json<operations["importUnits"]["responses"][200]> = { added: 1, updated: 0, rows: 1 };
      const rowErrors: string[] | undefined = ({} as Json<operations["importUnits"]["responses"][422]>).rows;
      const claims: components["schemas"]["ClaimSummary"][] = [] as Json<operations["listClaims"]["responses"][200]>["rows"];
      const paid: number | null | undefined = claims[0]?.paidAmount;
      const reported: Json<operations["reportClaim"]["requestBody"]> = {
        unitId: "00000000-0000-0000-0000-000000000000",
        part: "waterproofing",
        description: "卫生间渗水",
        reporterName: "张先生",
        reporterPhone: "13900000000",
      };
      const settled: Json<operations["getClaim"]["responses"][200]>["settlement"] = null;
      // @ts-expect-error a claim has no such part
      const roof: components["schemas"]["ReportClaim"]["part"] = "roof";
      // @ts-expect-error a task has no such status
      const wrong: components["schemas"]["TaskSummary"]["status"] = "lost";
      // @ts-expect-error the submission is required
      const empty: components["schemas"]["Completion"] = {};
      // @ts-expect-error a risk event has no such level
      const severe: components["schemas"]["RiskEvent"]["level"] = "severe";
      export { summary, history, projects, found, events, eventNumber, counts, level, urge, taskId, completion, failure, homes, imported, rowErrors, claims, paid, reported, settled, roof, wrong, empty, severe };
    `;
    expect(typeErrors({ "api.ts": generated, "usage.ts": usage })).toEqual([]);
  });
});
