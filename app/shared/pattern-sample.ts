// A text that matches a form field's pattern, for the dry run's samples: the shortest a simple
// pattern allows (literals, \d \w \s, classes such as [A-Z0-9], groups with alternatives, the
// quantifiers ? * + {n} {n,m}), checked against the pattern itself. Null for anything else
// (look-arounds, back-references…): the sample then leaves the field to the administrator.

const ESCAPES: Record<string, string> = { d: "0", w: "a", s: " " };

/** One atom's text at `at`, and where the pattern goes on, or null when it is not a simple one. */
function atom(source: string, at: number): { text: string; next: number } | null {
  const char = source[at];
  if (char === "\\") {
    const escaped = source[at + 1];
    if (escaped === undefined || /[DWSbBk1-9]/.test(escaped)) return null;
    return { text: ESCAPES[escaped] ?? escaped, next: at + 2 };
  }
  if (char === "[") {
    const end = source.indexOf("]", at + 2);
    if (end < 0 || source[at + 1] === "^") return null;
    const first = source[at + 1] === "\\" ? (ESCAPES[source[at + 2]] ?? source[at + 2]) : source[at + 1];
    return { text: first, next: end + 1 };
  }
  if (char === "(") {
    let depth = 0;
    let end = at;
    for (; end < source.length; end++) {
      if (source[end] === "\\") end++;
      else if (source[end] === "(") depth++;
      else if (source[end] === ")" && --depth === 0) break;
    }
    if (end >= source.length) return null;
    const inner = source.slice(at + 1, end).replace(/^\?:/, "");
    if (/^\?/.test(inner)) return null;
    const text = sequence(topLevelAlternatives(inner)[0]);
    return text === null ? null : { text, next: end + 1 };
  }
  if (char === ".") return { text: "a", next: at + 1 };
  if (/[)|*+?{}]/.test(char)) return null;
  return { text: char, next: at + 1 };
}

function topLevelAlternatives(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    if (source[i] === "\\") i++;
    else if (source[i] === "[") i = Math.max(i, source.indexOf("]", i + 2));
    else if (source[i] === "(") depth++;
    else if (source[i] === ")") depth--;
    else if (source[i] === "|" && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  return [...parts, source.slice(start)];
}

function sequence(source: string): string | null {
  let out = "";
  for (let at = 0; at < source.length;) {
    if ((source[at] === "^" && at === 0) || (source[at] === "$" && at === source.length - 1)) {
      at++;
      continue;
    }
    const found = atom(source, at);
    if (!found) return null;
    at = found.next;
    let times = 1;
    const quantifier = source.slice(at).match(/^(?:\{(\d+)(?:,\d*)?\}|[?*+])\??/);
    if (quantifier) {
      times = quantifier[1] !== undefined ? Number(quantifier[1]) : quantifier[0][0] === "+" ? 1 : 0;
      at += quantifier[0].length;
    }
    if (times > 100) return null;
    out += found.text.repeat(times);
  }
  return out;
}

/** A text matching `pattern` (as the form checks it: unanchored, like JSON Schema's), or null. */
export function patternSample(pattern: string): string | null {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, "u");
  } catch {
    return null;
  }
  const text = sequence(topLevelAlternatives(pattern)[0]);
  return text !== null && regex.test(text) ? text : null;
}
