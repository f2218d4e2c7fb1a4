// Submissions of risk management's steps as tests fill them in: plain data, for the flow tests
// (through test/support/risk.ts) and for the browser tests, which send them over HTTP.

export const planSubmission = {
  briefing: "开工前向参建各方交底：防水、保温、主体结构为重点",
  riskPoints: "地下室防水、外墙保温、屋面渗漏",
  inspectionPlan: "基础、主体、屋面防水、装饰装修各节点至少检查一次，每月不少于一次",
  sections: [
    { name: "1号楼", structure: "剪力墙结构", floors: 33, area: 21000 },
    { name: "地下车库", structure: "框架结构", floors: 1, area: 15000 },
  ],
};

export function riskEventInput(overrides: Record<string, unknown> = {}) {
  return {
    category: "waterproofing",
    level: "major",
    rectifierRole: "contractor",
    location: "地下室B区外墙",
    deadline: "2026-12-20",
    description: "后浇带止水钢板缺失",
    photos: [],
    ...overrides,
  };
}

export function inspectionSubmission(events: Record<string, unknown>[], overrides: Record<string, unknown> = {}) {
  return {
    inspectedOn: "2026-11-20",
    stage: "地基与基础施工",
    inspectors: "周工、李工",
    findings: "地下室防水施工中，发现后浇带处理不规范",
    photos: [],
    events,
    ...overrides,
  };
}
