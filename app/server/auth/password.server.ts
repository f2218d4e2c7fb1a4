import { hash, verify } from "@node-rs/argon2";
import { passwordProblem } from "~/shared/password-rule";
import { requiredString } from "../validation.server";

// argon2id with the library's defaults (19 MiB, 2 passes): the OWASP minimum, ~30 ms here.
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this when the account does not exist keeps the answer time the same, so the
// response does not tell which user names exist.
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hash("not-a-real-password-0");
  await verifyPassword(await dummyHash, password);
  return false;
}

export const newPasswordSchema = requiredString("请输入密码").superRefine((password, ctx) => {
  const problem = passwordProblem(password);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
