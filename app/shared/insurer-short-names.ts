// What people call insurers in speech and in writing (太保, 人保): each short name with the part of
// the registered name it stands for. A search of organisation names for a short name also finds the
// names holding that part, on the server (organisations/name-search.server.ts) and in the selects
// that filter their options in the browser; the list is the one place that knows the short names.

export const INSURER_SHORT_NAMES: Readonly<Record<string, string>> = {
  人保: "中国人民财产保险",
  人保财险: "中国人民财产保险",
  太保: "中国太平洋财产保险",
  太保产险: "中国太平洋财产保险",
  太平洋保险: "中国太平洋财产保险",
  平安产险: "中国平安财产保险",
  国寿财险: "中国人寿财产保险",
  大地保险: "中国大地财产保险",
  中华财险: "中华联合财产保险",
  阳光财险: "阳光财产保险",
  太平财险: "太平财产保险",
  英大财险: "英大泰和财产保险",
  中再: "中国财产再保险",
  中再产险: "中国财产再保险",
};

/**
 * The ways a search `q` may find an organisation's name, each a list of parts the name must all
 * hold: `q` itself, and for each short name in it, the part it stands for with the rest of `q`
 * (人保 昆明 → 中国人民财产保险 and 昆明).
 */
export function organisationNameSearches(q: string): string[][] {
  const text = q.trim();
  const ways = [[text]];
  for (const [short, full] of Object.entries(INSURER_SHORT_NAMES)) {
    if (!text.includes(short)) continue;
    const rest = text
      .split(short)
      .flatMap((part) => part.split(/\s+/))
      .filter(Boolean);
    ways.push([full, ...rest]);
  }
  return ways;
}

/** Whether an organisation's name answers a search (for the selects that filter their options in the browser). */
export function organisationNameMatches(name: string, q: string): boolean {
  const lower = name.toLowerCase();
  return organisationNameSearches(q).some((parts) => parts.every((part) => lower.includes(part.toLowerCase())));
}
