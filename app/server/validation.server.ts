import { z } from "zod";
import { ValidationError, fieldErrorsOf } from "./errors.server";

export const unknownFieldMessage = (key: string) => `不接受的字段“${key}”`;

/** Parses input with a zod schema, or throws a ValidationError naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, message?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // A field a strict object does not take is refused on its own name (not on the object's).
  const fields = fieldErrorsOf(
    result.error.issues.flatMap((issue): [string, string][] =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => [[...issue.path, key].join("."), unknownFieldMessage(key)])
        : [[issue.path.join(".") || "form", issue.message]],
    ),
  );
  throw new ValidationError(fields, message);
}

/**
 * A text field with its own message when it is missing (or null), and zod's "应为文字" (or
 * `wrongType`) when something else is sent (a number, a list): a claim number sent as 123 is in the
 * wrong format, not missing.
 */
export function requiredString(missing: string, wrongType?: string) {
  return z.string({ error: (issue) => (issue.input == null ? missing : wrongType) });
}
