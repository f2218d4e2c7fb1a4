// 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet; the last one is a
// check character computed from the first 17 with fixed weights, modulo 31.
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** Returns null when valid, otherwise a message in Chinese saying what is wrong. */
export function creditCodeProblem(raw: string): string | null {
  const code = raw.trim().toUpperCase();
  if (code.length !== 18) return `统一社会信用代码应为18位，当前为${code.length}位`;
  const bad = [...code].find((c) => !ALPHABET.includes(c));
  if (bad) return `统一社会信用代码含有不允许的字符“${bad}”（不使用 I、O、Z、S、V）`;
  if (!/^[0-9]{6}$/.test(code.slice(2, 8))) return "统一社会信用代码第3至8位应为行政区划代码（数字）";
  const expected = creditCodeCheckCharacter(code.slice(0, 17));
  if (code[17] !== expected) return `统一社会信用代码校验位错误，请核对后重新输入`;
  return null;
}

export function normaliseCreditCode(raw: string): string {
  return raw.trim().toUpperCase();
}
