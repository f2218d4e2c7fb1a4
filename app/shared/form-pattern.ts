import { RE2JS } from "re2js";
import safeRegex from "safe-regex2";

// A form field's regular expression (its `pattern` keyword, or a `pattern` rule of its
// x-validator) is written by an administrator and run on every submission. The page runs it with
// the browser's own engine (Formily); the server runs it with RE2JS, whose time grows linearly
// with the text whatever the expression, on text of at most PATTERN_VALUE_MAX characters. A
// pattern is published only if both engines read it alike and it nests no repetition (a catastrophic
// backtracking such as (a+)+$ would stall the submitter's browser).

/** The longest pattern a form may give: far above a 身份证号 or a 报建号's. */
export const PATTERN_MAX_LENGTH = 200;
/** The longest text judged against a pattern (a longer one is refused, never cut). */
export const PATTERN_VALUE_MAX = 1000;

/** The expression as RE2JS reads the browser's syntax (\u4e00 as \x{4e00}). */
const compiled = (pattern: string) => RE2JS.compile(RE2JS.translateRegExp(pattern));

/** What is wrong with a pattern, in Chinese, or undefined. */
export function patternProblem(pattern: unknown): string | undefined {
  if (typeof pattern !== "string" || pattern === "") return "正则表达式（pattern）应为文字";
  if (pattern.length > PATTERN_MAX_LENGTH) return `正则表达式（pattern）过长，不能超过${PATTERN_MAX_LENGTH}个字符`;
  try {
    new RegExp(pattern);
  } catch {
    return "正则表达式（pattern）写法不正确";
  }
  try {
    compiled(pattern);
  } catch (error) {
    // RE2JS bounds a repetition's count (1000, nested counts multiplied) so as to stay linear.
    if (error instanceof Error && error.message.includes("invalid repeat count"))
      return "正则表达式（pattern）的重复次数过大（如 {1001} 或嵌套的计数），请改写";
    return "正则表达式（pattern）不能含反向引用（\\1）或前后断言（(?=…)、(?<=…)）";
  }
  if (!safeRegex(pattern)) return "正则表达式（pattern）含嵌套的重复（如 (a+)+），校验长文字时会卡死，请改写";
  return undefined;
}

/** Compiled patterns of the published forms (a bounded few), each compiled once. */
const tests = new Map<string, (text: string) => boolean>();

/** How a pattern is judged: by RE2JS; one published before patternProblem refused what RE2JS cannot read, as before. */
function testOf(pattern: string): (text: string) => boolean {
  try {
    const re = compiled(pattern);
    return (text) => re.matcher(text).find();
  } catch {
    try {
      const re = new RegExp(pattern);
      return (text) => re.test(text);
    } catch {
      // Formily's own check would have thrown on it: a pattern that is none judges nothing.
      return () => true;
    }
  }
}

/**
 * Whether the text matches the pattern, in time linear in its length, as the browser's
 * `new RegExp(pattern).test(value)` would answer.
 */
export function matchesPattern(pattern: string, value: unknown): boolean {
  let test = tests.get(pattern);
  if (!test) {
    if (tests.size >= 1000) tests.clear();
    tests.set(pattern, (test = testOf(pattern)));
  }
  return test(String(value));
}

// Formily's built-in formats (money's (\d+,?)+, url's nested host names) backtrack on a long
// value. The server judges them with RE2JS too; url's private-address look-aheads, which RE2JS
// cannot read, become a second linear test of the address that follows the scheme.
const URL_LOOKAHEADS = /\(\?!(?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)/g;
const PRIVATE_URL =
  /^(?:(?:(?:https?|ftp|rtmp):)?\/\/)(?:\S+(?::\S*)?@)?(?:(?:10|127)(?:\.\d{1,3}){3}|(?:169\.254|192\.168)(?:\.\d{1,3}){2}|172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})/;
const formatTests = new Map<string, (text: string) => boolean>();

function formatTestOf(format: RegExp): (text: string) => boolean {
  const flags = format.flags.includes("i") ? RE2JS.CASE_INSENSITIVE : 0;
  const re = (source: string) => RE2JS.compile(RE2JS.translateRegExp(source), flags);
  try {
    const whole = re(format.source);
    return (text) => whole.matcher(text).find();
  } catch {
    const rest = re(format.source.replace(URL_LOOKAHEADS, ""));
    const excluded = re(PRIVATE_URL.source);
    return (text) => rest.matcher(text).find() && !excluded.matcher(text).find();
  }
}

/** Whether the text has the Formily format (`format` from getValidateFormats), in linear time. */
export function matchesFormat(name: string, format: RegExp, value: unknown): boolean {
  let test = formatTests.get(name);
  if (!test) formatTests.set(name, (test = formatTestOf(format)));
  return test(String(value));
}
