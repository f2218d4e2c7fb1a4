import type { Actor } from "../auth/actor";
import { z } from "zod";
import { pageNumber, pageSizeNumber } from "../pagination.server";
import type { Permission } from "~/shared/permissions";

// What every part of the REST API's contract uses: the shape of an operation, identifiers, times,
// files, pages of a list, the error body, and coded values described with their Chinese names.

/** A multipart upload of one file in the field `file`. */
export interface Upload {
  /** Read when a request comes (the attachments' limit is the deployment's). */
  maxBytes: () => number;
  /** The media types the file may have, as OpenAPI's encoding lists them (comma-separated). */
  mediaType: string;
  description: string;
}

/** A file answered as it is stored (its bytes with the type they were found to have), not JSON. */
export interface Download {
  mediaTypes: string[];
  description: string;
}

export interface Operation {
  id: string;
  method: "get" | "post" | "delete";
  path: string;
  summary: string;
  public?: boolean;
  /** The permission the matching page requires; without it the operation answers 403 like the page. */
  permission?: Permission;
  /**
   * Whether this actor may call it at all, decided by the service before the body is judged (404,
   * 403): who may not start a flow is told so, not that its title is missing.
   */
  authorize?: (actor: Actor, params: Record<string, string | undefined>) => Promise<void>;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** A multipart/form-data body with one file (field `file`) instead of JSON. */
  upload?: Upload;
  /** The JSON answer; an operation that answers a file has `download` instead. */
  response?: z.ZodType;
  /** The statuses it succeeds with, when not 200 alone (201 created, 200 unchanged), each described. */
  success?: Record<number, string>;
  download?: Download;
  errors: number[];
}

export const isoDate = z.string().describe("ISO 8601 时间");

export const calendarDate = z.string().describe("日期 YYYY-MM-DD");

export const id = z.uuid();

/** "code 中文名、code 中文名…": a coded field's values with their names, from the labels the pages show. */
export const codesOf = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([code, label]) => `${code} ${label}`)
    .join("、");

/** A filter's former name: read as `name`, described (and marked in OpenAPI) as deprecated. */
export const deprecated = (schema: z.ZodType, name: string) =>
  schema.meta({ deprecated: true, description: `已弃用，请改用 ${name}（同时给出二者时拒绝）` });

/** The page of a list and its size (at most 100 rows a page), as every list's query takes them. */
export const paging = {
  page: pageNumber().optional().describe("页码（正整数，缺省 1）"),
  pageSize: pageSizeNumber().optional().describe("每页条数（1 到 100，缺省 20）"),
};

/** One page of a list: its rows, how many there are in all, which page this is and its size. */
export const pageOf = <Row extends z.ZodType>(row: Row) =>
  z.object({ rows: z.array(row), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const ErrorBody = z
  .object({
    error: z.string().describe("错误代码：validation_failed、not_found、conflict、forbidden、unauthenticated…"),
    message: z.string().describe("中文说明"),
    fields: z.record(z.string(), z.string()).optional().describe("逐字段的中文错误信息"),
    rows: z.array(z.string()).optional().describe("上传表格被拒时，逐行的中文错误信息（如 第12行：业主电话“123”不是有效的手机号）"),
    problems: z
      .array(z.object({ elementId: z.string().optional().describe("有问题的流程图元素的标识（id）"), message: z.string() }))
      .optional()
      .describe("流程图被拒时，逐个元素的中文错误信息；无 elementId 的是整个文件的问题（如 XML 无法解析）"),
  })
  .meta({ id: "Error" });

export const Ok = z.object({ ok: z.literal(true) }).meta({ id: "Ok" });

export const FileRef = z
  .object({ id, name: z.string(), size: z.number().int().describe("字节数") })
  .describe("附件（以 /attachments/{id} 下载）")
  .meta({ id: "FileRef" });
