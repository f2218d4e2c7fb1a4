// A home's address as people say and type it: "1栋2单元1401", "1号楼2单元1401室", "1-2-1401",
// "1 2 1401", "1栋 1401", or just "1401". The hotline's search, the owners' home picker and a
// project's list of homes read it the same way, so "1栋 1401" never finds a home of building 3.

export interface HomeAddress {
  building?: string;
  unitNo?: string;
  room?: string;
}

type Part = keyof HomeAddress;

const BUILDING_MARKERS = ["号楼", "栋", "幢", "座"];
const UNIT_MARKERS = ["单元"];
const ROOM_MARKERS = ["室", "号"];
const MARKER_PART: [string, Part][] = [
  ...BUILDING_MARKERS.map((m): [string, Part] => [m, "building"]),
  ...UNIT_MARKERS.map((m): [string, Part] => [m, "unitNo"]),
  ...ROOM_MARKERS.map((m): [string, Part] => [m, "room"]),
];
/**
 * A building or unit said in Chinese numerals (二栋, 十二号楼, 一单元): only before its marker, so
 * that no word of a name reads as a number.
 */
const CHINESE_NUMBER = `(?:[一二两三四五六七八九]?十[一二三四五六七八九]?|[零〇一二两三四五六七八九]+)(?=${[...BUILDING_MARKERS, ...UNIT_MARKERS].join("|")})`;
// 号楼 before 号: the longer marker wins.
const TOKEN = new RegExp(`([0-9A-Za-z]+|${CHINESE_NUMBER})(${MARKER_PART.map(([m]) => m).join("|")})?`, "y");
const SEPARATORS = /[\s\-–—－/,，、]+/y;
const MARKED_START = new RegExp(`^(?:[0-9A-Za-z]+|${CHINESE_NUMBER})(${[...BUILDING_MARKERS, ...UNIT_MARKERS, "-"].join("|")})`);

const CHINESE_DIGITS = "零一二三四五六七八九";
/** 二 → 2, 十二 → 12, 二十 → 20, 一〇一 → 101; Arabic digits and letters as they are. */
function arabic(token: string): string {
  const digits = token.replaceAll("〇", "零").replaceAll("两", "二");
  if (!/^[零一二三四五六七八九十]+$/.test(digits)) return token;
  if (!digits.includes("十")) return [...digits].map((c) => CHINESE_DIGITS.indexOf(c)).join("");
  const [tens, ones] = digits.split("十");
  return String((tens ? CHINESE_DIGITS.indexOf(tens) : 1) * 10 + (ones ? CHINESE_DIGITS.indexOf(ones) : 0));
}

/** "1" → "1栋" ("A座" as it is): a building as the platform writes it. */
export const buildingLabel = (building: string) => (/^\d+$/.test(building) ? `${building}栋` : building);
/** "2" → "2单元". */
export const unitNoLabel = (unitNo: string) => (/^\d+$/.test(unitNo) ? `${unitNo}单元` : unitNo);

/** Full-width digits, letters and dashes as their plain forms ("１栋" is "1栋"). */
const plain = (text: string) => text.normalize("NFKC").trim();

/**
 * The parts of a home's address the text names, or null when it is not an address. Marked parts
 * (栋/幢/座/号楼, 单元, 室/号) are what they say; of the bare numbers the last is the room and the
 * others fill, in order, the parts `bareFills` lists that no marker named (building then unit by
 * default; only the unit once the building is chosen).
 */
export function parseHomeAddress(text: string, bareFills: Part[] = ["building", "unitNo"]): HomeAddress | null {
  const source = plain(text);
  const marked: HomeAddress = {};
  const bare: string[] = [];
  let at = 0;
  while (at < source.length) {
    SEPARATORS.lastIndex = at;
    if (SEPARATORS.exec(source)) {
      at = SEPARATORS.lastIndex;
      continue;
    }
    TOKEN.lastIndex = at;
    const token = TOKEN.exec(source);
    if (!token) return null;
    at = TOKEN.lastIndex;
    const part = MARKER_PART.find(([m]) => m === token[2])?.[1];
    const value = arabic(token[1]);
    if (!part) bare.push(value);
    else if (marked[part]) return null;
    else marked[part] = value;
  }
  if (!bare.length) return Object.keys(marked).length ? marked : null;
  const address = { ...marked };
  if (!address.room) address.room = bare.pop();
  const free = bareFills.filter((part) => !address[part]);
  if (bare.length > free.length) return null;
  bare.forEach((value, i) => (address[free[i]] = value));
  return address;
}

/**
 * "宝象壹号 1栋 1401", "宝象壹号1栋1单元1001": the community named before an address and the address,
 * or null when the text ends in no address after a name. The address starts at the earliest word,
 * or marked number ("1栋", "1-") right after a name's last character, from which the rest reads as
 * an address ("阳光100 2 1401" is building 2 of 阳光100).
 */
export function splitCommunityAddress(text: string): { community: string; address: HomeAddress } | null {
  const source = plain(text);
  for (let at = 1; at < source.length; at++) {
    const before = source[at - 1];
    const startsWord = /\s/.test(before) && !/\s/.test(source[at]);
    const startsNumber = !/[0-9A-Za-z\s-]/.test(before) && MARKED_START.test(source.slice(at));
    if (!startsWord && !startsNumber) continue;
    const community = source.slice(0, at).trim();
    const address = parseHomeAddress(source.slice(at));
    if (address && !parseHomeAddress(community)) return { community, address };
  }
  return null;
}

/** How a part may be stored in a developer's list: "1" or "1栋" (lower case, as compared). */
export function storedForms(part: Part, value: string): string[] {
  const markers = part === "building" ? BUILDING_MARKERS : part === "unitNo" ? UNIT_MARKERS : ROOM_MARKERS;
  const bare = value.toLowerCase();
  return [bare, ...markers.map((m) => bare + m)];
}

/**
 * A number typed with leading zeros (0501) as written without them (501), or null when it has none:
 * where a list writes no zeros, 0501 is 501; where it writes them, 0101 is 0101 and not 101.
 */
export function withoutLeadingZeros(value: string): string | null {
  const stripped = value.replace(/^0+(?=\d)/, "");
  return stripped === value ? null : stripped;
}

/**
 * Whether a home is at the address: each part named matches the home's exactly (401 is not 1401).
 * As one types into a picker, the room may be the start of the home's (14 → 1401, never 401 → 1401).
 * A part typed with leading zeros is also the part without them (0501 is 501), unless a home of the
 * list it is picked from (`listed`) is written with the zeros: the rule of the server's search
 * (units.server.ts homeAt), so the hotline and the owner's picker read 0501 alike.
 */
export function matchesAddress(
  home: { building: string; unitNo: string; room: string },
  address: HomeAddress,
  { roomPrefix = false, listed = [] as { building: string; unitNo: string; room: string }[] } = {},
): boolean {
  return (Object.keys(address) as Part[]).every((part) => {
    const prefix = part === "room" && roomPrefix;
    const holds = (stored: string, typed: string) =>
      prefix ? stored.startsWith(typed.toLowerCase()) : storedForms(part, typed).includes(stored);
    const storedOf = (h: typeof home) => plain(h[part]).toLowerCase();
    if (holds(storedOf(home), address[part]!)) return true;
    const loose = withoutLeadingZeros(address[part]!);
    return !!loose && holds(storedOf(home), loose) && !listed.some((h) => holds(storedOf(h), address[part]!));
  });
}
