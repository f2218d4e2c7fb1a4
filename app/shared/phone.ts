// Mainland mobile numbers, as owners type them and as a phone's contact card gives them. Another
// country's number never passes as a mainland one: +1 390 871 0001 has the digits of 139 0871 0001.
// Every channel (the owners' chat and page, the hotline, the API, the homes' import) reads numbers
// and SMS codes here, so "１３９…" or "123 456" is read alike wherever it is typed.

/**
 * The segments of mainland personal mobile numbers: 13x, 145-149, 150-153 and 155-159, 162 and
 * 165-167, 170-178, 18x, 190-193 and 195-199. Eleven digits after 1 alone are not enough: a US
 * number typed without "+" (1415 555 0100) has eleven digits too, and 140-144 are data-only cards.
 */
export const MAINLAND_MOBILE_DIGITS = "1(?:3\\d|4[5-9]|5[0-35-9]|6[25-7]|7[0-8]|8\\d|9[0-35-9])\\d{8}";
const MAINLAND_MOBILE = new RegExp(`^${MAINLAND_MOBILE_DIGITS}$`);
const SEPARATORS = /[\s\-.()（）]/g;
/**
 * A number written as North America groups it, 1-390-871-0001 or 1 (390) 871 0001: the country
 * code 1 and its own 3-3-4 groups. A mainland number is grouped 3-4-4 (139 0871 0001), so eleven
 * digits written this way are someone else's number, whatever they would read as run together.
 */
const NORTH_AMERICAN = /^1[\s\-.]+\(?\d{3}\)?[\s\-.]*\d{3}[\s\-.]+\d{4}$/;

/** What was typed, with full-width digits and signs (１３９，＋８６，－) read as the ASCII ones. */
const typed = (input: string | number) => String(input).normalize("NFKC").trim();

/**
 * The eleven digits of a mainland mobile number as people type it (13812345678, 138-1234-5678,
 * １３８…, +86 138…, 86138…, 0086 138…), or null when it is not one. A number written with another
 * country code (+1…, 001…, 1-390-871-0001) is refused, whatever digits follow.
 */
export function normalisePhone(input: unknown): string | null {
  if (typeof input !== "string" && typeof input !== "number") return null;
  if (isForeignNumber(input)) return null;
  const written = typed(input).replace(SEPARATORS, "");
  const international = /^(?:\+|00)(\d+)$/.exec(written);
  if (international) return contactPhone(international[1]);
  const digits = written.length === 13 && written.startsWith("86") ? written.slice(2) : written;
  return MAINLAND_MOBILE.test(digits) ? digits : null;
}

/** What is said of a number that is not a mainland mobile, by the field's own label (来电号码, 联系电话). */
export const notMobileMessage = (label: string): string => `${label}应为中国大陆11位手机号`;

/** What owners are told of another country's number, in the chat and on the page alike. */
export const foreignNumberMessage = (hotline: string): string =>
  `这里只能验证中国大陆手机号（+86）。其他国家或地区的手机号请拨打服务热线 ${hotline}，由客服为您办理。`;

/**
 * What is said of a number that `normalisePhone` refused, by the field's label: another country's
 * number as such (staff forms and the API), a typo as the format.
 */
export const phoneRefusal = (label: string, input: unknown): string =>
  isForeignNumber(input) ? `${label}只能是中国大陆手机号（+86）` : notMobileMessage(label);

/**
 * Whether the number is written with a country code other than China's (+1 390…, 001 415…), or in
 * North America's grouping (1-390-871-0001): refused as such, not as a typo.
 */
export function isForeignNumber(input: unknown): boolean {
  if (typeof input !== "string" && typeof input !== "number") return false;
  const text = typed(input);
  if (NORTH_AMERICAN.test(text)) return true;
  const international = /^(?:\+|00)(\d+)$/.exec(text.replace(SEPARATORS, ""));
  return international !== null && !international[1].startsWith("86");
}

/**
 * A number that always carries its country code (a Telegram contact card: "+8613812345678" or
 * "8613812345678"; a US one comes as "14155550100"): a mainland mobile only after country code 86.
 */
export function contactPhone(input: string): string | null {
  const digits = typed(input)
    .replace(SEPARATORS, "")
    .replace(/^(?:\+|00)/, "");
  const mainland = /^86(\d{11})$/.exec(digits)?.[1];
  return mainland && MAINLAND_MOBILE.test(mainland) ? mainland : null;
}

/** A six-digit SMS code as people type it (123456, 123 456, 123-456, １２３４５６), or null. */
export function normaliseCode(input: unknown): string | null {
  if (typeof input !== "string" && typeof input !== "number") return null;
  const code = typed(input).replace(/[\s-]/g, "");
  return /^\d{6}$/.test(code) ? code : null;
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
