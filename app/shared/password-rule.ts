// What a new password must be, worded once: the server's schema (auth/password.server) and the
// browser's rule on the admin's forms read the same check, so a weak one is said as it is typed.

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** The first thing wrong with a new password, or null when it will do. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `密码至少${PASSWORD_MIN}位`;
  if (password.length > PASSWORD_MAX) return `密码不能超过${PASSWORD_MAX}位`;
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) return "密码须同时包含字母和数字";
  return null;
}

/** The antd rule of a new-password field (an empty one is the field's required rule's to say). */
export const newPasswordRule = {
  validator: (_rule: unknown, value: unknown) => {
    const problem = typeof value === "string" && value ? passwordProblem(value) : null;
    return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
  },
};
