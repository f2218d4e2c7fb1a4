import { z } from "zod";
import { ErrorBody, type Operation, type Upload } from "./contract-common.server";
import { CONTRACT_EXPORTS, OPERATIONS } from "./contract.server";

const ERROR_TEXT: Record<number, string> = {
  400: "请求格式错误",
  401: "未登录或密钥无效",
  403: "无权执行，或带会话 Cookie 的请求来自其他站点",
  404: "不存在或不在您的范围内",
  408: "请求未在时限内发送完毕",
  409: "状态冲突（例如任务已办理）",
  413: "请求体过大",
  415: "请求体不是 JSON（Content-Type 须为 application/json）",
  431: "请求头或地址过长",
  422: "提交的数据有误（见 fields），或请求地址含不允许的字符",
  429: "尝试过于频繁（响应头 Retry-After 为等待秒数）",
  500: "服务器内部错误",
  503: "流程执行出错，已记录为异常",
};

const componentRef = (id: string) => `#/components/schemas/${id}`;

/**
 * The failures an operation can answer with: those the contract lists, plus those the API handler
 * (runOperation) and the edge (request-guard) answer for any operation — 401 without a session or
 * key, 422 for a query or body that does not parse or an address with a NUL, 431 for headers or
 * an address too long, 500 for anything unexpected, for a request that changes something 403 (a
 * cookie's request from another site), and for a request with a body 408 (not sent in time), 413
 * (too large) and, where JSON is read, 415 (sent as something else) — so clients see every status
 * they must handle.
 */
function failures(op: Operation): number[] {
  const crossSite = op.method === "get" ? [] : [403];
  const withBody = op.method === "post" ? [408, 413, ...(op.body ? [415] : [])] : [];
  const generic = [...(op.public ? [] : [401]), ...crossSite, ...withBody, 422, 431, 500];
  return [...new Set([...op.errors, ...generic])].sort((a, b) => a - b);
}

/**
 * Converts every schema the document uses in one zod registry conversion, so that references between
 * them all point into components/schemas (converting schemas one at a time left nested references
 * pointing at a `$defs` the document does not have). The contract's named schemas (meta id) become
 * components; the unnamed ones (query parameters, a bare array response) join the conversion under a
 * temporary key only to get their references right, and are inlined where they are used.
 */
function convert(used: z.ZodType[]) {
  const registry = z.registry<{ id: string }>();
  const idOf = (schema: unknown) => (schema instanceof z.ZodType ? (z.globalRegistry.get(schema)?.id as string | undefined) : undefined);
  // All named schemas of the contract, not only those an operation uses directly: a nested one
  // (TaskSummary inside TaskPage) must be in the registry to be converted into its own component.
  for (const schema of CONTRACT_EXPORTS) {
    const id = idOf(schema);
    if (id) registry.add(schema as z.ZodType, { id });
  }
  const inline = new Map<z.ZodType, string>();
  for (const schema of used)
    if (!idOf(schema) && !inline.has(schema)) {
      inline.set(schema, `inline-${inline.size}`);
      registry.add(schema, { id: inline.get(schema)! });
    }
  const { schemas: converted } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    unrepresentable: "any",
    io: "input",
    uri: componentRef,
  });
  // Each converted schema names its dialect and its own URI; inside an OpenAPI 3.1 document the
  // dialect is the document's and a fragment `$id` is not allowed, so both go.
  const schemas: Record<string, unknown> = {};
  for (const [key, { $schema: _dialect, $id: _uri, ...schema }] of Object.entries(converted)) schemas[key] = schema;
  const schemaFor = (schema: z.ZodType) => {
    const id = idOf(schema);
    return id ? { $ref: componentRef(id) } : schemas[inline.get(schema)!];
  };
  const inlined = new Set(inline.values());
  const components = Object.fromEntries(Object.entries(schemas).filter(([key]) => !inlined.has(key)));
  return { components, schemaFor };
}

/** A multipart body with one file in the field `file`. */
function uploadBody(upload: Upload) {
  return {
    required: true,
    content: {
      "multipart/form-data": {
        schema: {
          type: "object",
          required: ["file"],
          properties: { file: { type: "string", format: "binary", description: upload.description } },
        },
        encoding: { file: { contentType: upload.mediaType } },
      },
    },
  };
}

/** The answer of an operation that succeeded: its JSON, or the file it serves in any of its types. */
function success(op: Operation, schemaFor: (schema: z.ZodType) => unknown) {
  if (op.download) {
    const file = { type: "string", format: "binary" };
    return {
      description: op.download.description,
      content: Object.fromEntries(op.download.mediaTypes.map((type) => [type, { schema: file }])),
    };
  }
  return { description: "成功", content: { "application/json": { schema: schemaFor(op.response!) } } };
}

/** The OpenAPI 3.1 document, generated from the zod contract. */
export function openApiDocument(serverUrl: string) {
  const queryParameters = (op: Operation) => Object.entries(op.query?.shape ?? {}) as [string, z.ZodType][];
  const { components, schemaFor } = convert([
    ErrorBody,
    ...OPERATIONS.flatMap((op) => [
      ...(op.response ? [op.response] : []),
      ...(op.body ? [op.body] : []),
      ...queryParameters(op).map(([, schema]) => schema),
    ]),
  ]);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const parameters = [
      ...[...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } })),
      ...queryParameters(op).map(([name, schema]) => ({
        name,
        in: "query",
        required: false,
        schema: schemaFor(schema),
        description: schema.description,
        ...(schema.meta()?.deprecated ? { deprecated: true } : {}),
      })),
    ];
    const responses: Record<string, unknown> = { 200: success(op, schemaFor) };
    if (op.created) responses[201] = { ...success(op, schemaFor), description: op.created };
    for (const status of failures(op))
      responses[status] = {
        description: ERROR_TEXT[status] ?? "请求失败",
        content: { "application/json": { schema: schemaFor(ErrorBody) } },
      };
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      operationId: op.id,
      summary: op.summary,
      ...(op.public ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: schemaFor(op.body) } } } } : {}),
      ...(op.upload ? { requestBody: uploadBody(op.upload) } : {}),
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
      schemas: components,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "单位接口密钥（idi_…）" },
        cookie: { type: "apiKey", in: "cookie", name: "idi_session" },
      },
    },
  };
}
