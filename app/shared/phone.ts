// Mainland mobile numbers, as owners type them and as a phone's contact card gives them. Another
// country's number never passes as a mainland one: +1 390 871 0001 has the digits of 139 0871 0001.

/**
 * The segments of mainland personal mobile numbers: 13x, 145-149, 150-153 and 155-159, 162 and
 * 165-167, 170-178, 18x, 190-193 and 195-199. Eleven digits after 1 alone are not enough: a US
 * number typed without "+" (1415 555 0100) has eleven digits too, and 140-144 are data-only cards.
 */
export const MAINLAND_MOBILE_DIGITS = "1(?:3\\d|4[5-9]|5[0-35-9]|6[25-7]|7[0-8]|8\\d|9[0-35-9])\\d{8}";
const MAINLAND_MOBILE = new RegExp(`^${MAINLAND_MOBILE_DIGITS}$`);
const SEPARATORS = /[\s\-()（）]/g;

/**
 * The eleven digits of a mainland mobile number as people type it (13812345678, 138-1234-5678,
 * +86 138…, 86138…, 0086 138…), or null when it is not one. A number written with another
 * country code (+1…, 001…) is refused, whatever digits follow.
 */
export function normalisePhone(input: unknown): string | null {
  if (typeof input !== "string" && typeof input !== "number") return null;
  const written = String(input).replace(SEPARATORS, "");
  const international = /^(?:\+|00)(\d+)$/.exec(written);
  if (international) return contactPhone(international[1]);
  const digits = written.length === 13 && written.startsWith("86") ? written.slice(2) : written;
  return MAINLAND_MOBILE.test(digits) ? digits : null;
}

/** What is said of a number that is not a mainland mobile, by the field's own label (来电号码, 联系电话). */
export const notMobileMessage = (label: string): string => `${label}应为中国大陆11位手机号`;

/** Whether the number is written with a country code other than China's (+1 390…, 001 415…): refused as such, not as a typo. */
export function isForeignNumber(input: unknown): boolean {
  if (typeof input !== "string") return false;
  const international = /^(?:\+|00)(\d+)$/.exec(input.replace(SEPARATORS, ""));
  return international !== null && !international[1].startsWith("86");
}

/**
 * A number that always carries its country code (a Telegram contact card: "+8613812345678" or
 * "8613812345678"; a US one comes as "14155550100"): a mainland mobile only after country code 86.
 */
export function contactPhone(input: string): string | null {
  const digits = input.replace(SEPARATORS, "").replace(/^(?:\+|00)/, "");
  const mainland = /^86(\d{11})$/.exec(digits)?.[1];
  return mainland && MAINLAND_MOBILE.test(mainland) ? mainland : null;
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
