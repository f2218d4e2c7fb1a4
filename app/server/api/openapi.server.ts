import { z } from "zod";
import { ErrorBody, OPERATIONS } from "./contract.server";

const ERROR_TEXT: Record<number, string> = {
  400: "请求格式错误",
  401: "未登录或密钥无效",
  403: "无权执行",
  404: "不存在或不在您的范围内",
  409: "状态冲突（例如任务已办理）",
  422: "提交的数据有误（见 fields）",
  429: "尝试过于频繁",
  503: "流程执行出错，已记录为异常",
};

/** The OpenAPI 3.1 document, generated from the zod contract. */
export function openApiDocument(serverUrl: string) {
  const schemas: Record<string, unknown> = {};
  const toSchema = (schema: z.ZodType) => {
    const json = z.toJSONSchema(schema, { target: "draft-2020-12", unrepresentable: "any", io: "input", reused: "inline" }) as Record<
      string,
      unknown
    >;
    const { $schema: _s, $defs, ...rest } = json as { $schema?: string; $defs?: Record<string, unknown> };
    Object.assign(schemas, $defs ?? {});
    return JSON.parse(JSON.stringify(rest).replaceAll("#/$defs/", "#/components/schemas/"));
  };
  const named = (schema: z.ZodType) => {
    const meta = z.globalRegistry.get(schema) as { id?: string } | undefined;
    if (!meta?.id) return toSchema(schema);
    // A schema with an id converts to a reference to itself plus its definition, collected above.
    if (!schemas[meta.id]) toSchema(schema);
    return { $ref: `#/components/schemas/${meta.id}` };
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const parameters = [
      ...[...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } })),
      ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => ({
        name,
        in: "query",
        required: false,
        schema: toSchema(schema as z.ZodType),
        description: (schema as z.ZodType).description,
      })),
    ];
    const responses: Record<string, unknown> = {
      200: { description: "成功", content: { "application/json": { schema: named(op.response) } } },
    };
    for (const status of op.errors)
      responses[status] = { description: ERROR_TEXT[status], content: { "application/json": { schema: named(ErrorBody) } } };
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      operationId: op.id,
      summary: op.summary,
      ...(op.public ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: named(op.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "昆明市住宅工程质量潜在缺陷保险信息平台 API",
      version: "1.0.0",
      description:
        "以会话 Cookie 或单位接口密钥（Authorization: Bearer）认证。错误以 JSON 返回：422 带逐字段信息，409 表示冲突，404 表示不存在或不在范围内。",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }, { cookie: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "单位接口密钥（idi_…）" },
        cookie: { type: "apiKey", in: "cookie", name: "idi_session" },
      },
    },
  };
}
