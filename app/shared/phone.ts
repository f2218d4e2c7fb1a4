// Mainland mobile numbers as owners type them: spaces, dashes and a +86 or 86 prefix are dropped.

/** The eleven digits of a mainland mobile number, or null when it is not one. */
export function normalisePhone(input: unknown): string | null {
  if (typeof input !== "string" && typeof input !== "number") return null;
  let digits = String(input).replace(/[\s\-()（）]/g, "");
  if (digits.startsWith("+")) digits = digits.slice(1);
  if (digits.length === 13 && digits.startsWith("86")) digits = digits.slice(2);
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

/** 13812341234 → 138****1234, for everyone who does not need to call the owner. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : "****";
}

/** 张三 → 张*; 欧阳娜娜 → 欧***. */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return null;
  const chars = [...name.trim()];
  return chars.length <= 1 ? "*" : chars[0] + "*".repeat(chars.length - 1);
}
