/** True when a database error (possibly wrapped by drizzle) is a unique-constraint violation. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const pg = e as { code?: string; constraint?: string; constraint_name?: string };
    if (pg.code === "23505") return !constraint || (pg.constraint ?? pg.constraint_name) === constraint;
  }
  return false;
}

/** True when PostgreSQL aborted the transaction to break a deadlock or a serialization conflict: worth one retry. */
export function isTransientConflict(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: string }).code;
    if (code === "40P01" || code === "40001") return true;
  }
  return false;
}
