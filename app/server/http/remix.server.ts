import { json } from "@remix-run/node";
import { DomainError, ValidationError, type FieldErrors } from "../errors.server";
import { logger } from "../logger.server";

export interface ActionFailure {
  ok: false;
  message: string;
  fields?: FieldErrors;
}

/** A form's submission as a plain object: JSON (what our antd forms send) or form data. */
export async function readBody(request: Request): Promise<Record<string, unknown>> {
  const type = request.headers.get("Content-Type") ?? "";
  if (type.includes("application/json")) {
    const body = await request.json().catch(() => {
      throw new ValidationError({ form: "提交的数据格式不正确" });
    });
    if (!body || typeof body !== "object" || Array.isArray(body)) throw new ValidationError({ form: "提交的数据格式不正确" });
    return body as Record<string, unknown>;
  }
  const form = await request.formData();
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key);
    out[key] = values.length > 1 ? values : values[0];
  }
  return out;
}

/** Runs an action's work; a domain error comes back to the page as its status with the message and field errors. */
export async function handleAction<T>(work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Response) throw error;
    if (error instanceof DomainError) {
      return json<ActionFailure>({ ok: false, message: error.message, fields: error.fields }, { status: error.status });
    }
    logger.error({ err: error }, "action failed");
    throw error;
  }
}

/** Runs a loader's work; a domain error becomes the matching error page (404 outside scope, 403…). */
export async function handleLoader<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}
