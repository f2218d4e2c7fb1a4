import { json, type HeadersFunction } from "@remix-run/node";
import { DomainError, ValidationError, errorHeaders, type FieldErrors } from "../errors.server";
import { logger } from "../logger.server";
import { UNSTORABLE_MESSAGE, unstorable } from "./request-guard.server";

export interface ActionFailure {
  ok: false;
  message: string;
  fields?: FieldErrors;
  /** Row by row, when an uploaded table was refused (第12行：…). */
  rows?: string[];
  /** Element by element, when a diagram was refused (the modeler marks them). */
  problems?: { elementId?: string; message: string }[];
}

const NOT_A_FORM = "提交的数据格式不正确";

/**
 * A form's submission as a plain object: JSON (what our antd forms send) or form data. Anything
 * else, or a body that does not parse, is a 422 for the page, never a server error.
 */
export async function readBody(request: Request): Promise<Record<string, unknown>> {
  const type = (request.headers.get("Content-Type") ?? "").toLowerCase();
  if (type.startsWith("application/json")) {
    const body = await request.json().catch(() => {
      throw new ValidationError({ form: NOT_A_FORM });
    });
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new ValidationError({ form: NOT_A_FORM });
    return body as Record<string, unknown>;
  }
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data"))
    throw new ValidationError({ form: NOT_A_FORM });
  const form = await request.formData().catch(() => {
    throw new ValidationError({ form: NOT_A_FORM });
  });
  // Into a Map, then own keys: a field named __proto__ stays a field (out[key] = … would set the prototype).
  const out = new Map<string, unknown>();
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key);
    // The edge checks JSON and URL-encoded bodies; multipart fields are checked here, where they are read.
    if (unstorable(key) || values.some((v) => typeof v === "string" && unstorable(v)))
      throw new ValidationError({ [key.replaceAll("\u0000", "")]: UNSTORABLE_MESSAGE }, UNSTORABLE_MESSAGE);
    out.set(key, values.length > 1 ? values : values[0]);
  }
  return Object.fromEntries(out);
}

/** Runs an action's work; a domain error comes back to the page as its status with the message and field errors. */
export async function handleAction<T>(work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Response) throw error;
    if (error instanceof DomainError) {
      const rows = error instanceof ValidationError ? error.rows : undefined;
      const problems = error instanceof ValidationError ? error.problems : undefined;
      return json<ActionFailure>(
        { ok: false, message: error.message, fields: error.fields, ...(rows ? { rows } : {}), ...(problems ? { problems } : {}) },
        { status: error.status, headers: errorHeaders(error) },
      );
    }
    logger.error({ err: error }, "action failed");
    throw error;
  }
}

/**
 * Runs a loader's work; a domain error becomes the matching error page (404 outside scope, 403…),
 * a refused query (422) saying what its fields refused.
 */
export async function handleLoader<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) {
      const fields = error instanceof ValidationError && error.fields ? Object.values(error.fields) : [];
      throw new Response(fields.length ? fields.join("；") : error.message, { status: error.status, headers: errorHeaders(error) });
    }
    throw error;
  }
}

/**
 * A list's data for its page: what `load` answers and no refusals; when its query is refused (a
 * ValidationError), `empty` (no rows) with each refusal by its key. Any other error is thrown.
 */
export async function refusableList<T>(load: () => Promise<T>, empty: () => T | Promise<T>): Promise<{ data: T; refused: FieldErrors }> {
  try {
    return { data: await load(), refused: {} };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { data: await empty(), refused: error.fields ?? {} };
  }
}

/** 422 when a page refused something of its query, else 200. */
export const refusedStatus = (refused: FieldErrors) => ({ status: Object.keys(refused).length ? 422 : 200 });

/**
 * A list page's loader: its data and no refusals; when its query is refused (422), the page all the
 * same, with no rows (`empty`) and each refusal by its key (`refused`, shown under its field by the
 * search bar), answered 422. Any other error is handleLoader's.
 */
export function listPageLoader<T extends object>(load: () => Promise<T>, empty: () => T | Promise<T>) {
  return handleLoader(async () => {
    const { data, refused } = await refusableList(load, empty);
    return json({ ...data, refused }, refusedStatus(refused));
  });
}

/**
 * A page route's document headers: the Retry-After of its action's refusal. A form sent without
 * JavaScript gets the page itself as the answer, whose headers Remix takes from this export only.
 */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
