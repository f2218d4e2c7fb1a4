// Kunming's districts, counties, county-level city and management zones. Administrative codes
// for the statutory divisions; the zones use the codes the city's statistics use for them.
export const DISTRICTS = [
  { code: "530102", name: "五华区" },
  { code: "530103", name: "盘龙区" },
  { code: "530111", name: "官渡区" },
  { code: "530112", name: "西山区" },
  { code: "530113", name: "东川区" },
  { code: "530114", name: "呈贡区" },
  { code: "530115", name: "晋宁区" },
  { code: "530124", name: "富民县" },
  { code: "530125", name: "宜良县" },
  { code: "530126", name: "石林彝族自治县" },
  { code: "530127", name: "嵩明县" },
  { code: "530128", name: "禄劝彝族苗族自治县" },
  { code: "530129", name: "寻甸回族彝族自治县" },
  { code: "530181", name: "安宁市" },
  { code: "530171", name: "高新区" },
  { code: "530172", name: "经开区" },
  { code: "530173", name: "滇池度假区" },
] as const;

export type DistrictCode = (typeof DISTRICTS)[number]["code"];

const byCode = new Map<string, string>(DISTRICTS.map((d) => [d.code, d.name]));

export function districtName(code: string | null | undefined): string {
  return (code && byCode.get(code)) || "";
}

export function isDistrictCode(code: string): code is DistrictCode {
  return byCode.has(code);
}

/**
 * The management zones have no boundary of their own on the map (its GeoJSON draws the statutory
 * divisions only): each is named in the district its main area lies in. Their projects are drawn
 * at their own coordinates; their figures stay their own (docs/decisions/024-the-risk-map.md).
 */
export const ZONE_HOST_DISTRICTS: Partial<Record<DistrictCode, DistrictCode>> = {
  "530171": "530102",
  "530172": "530111",
  "530173": "530112",
};
