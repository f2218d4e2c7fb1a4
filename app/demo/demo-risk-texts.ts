import type { BuildingPart } from "@db/schema/building-parts";

// What the demo city's TIS inspectors write: locations, findings and the builders' rectifications
// per category of risk event, shaped like real site records. `{b}` is a building of the project.

export interface CategoryTexts {
  locations: string[];
  findings: string[];
  measures: string[];
}

export const CATEGORY_TEXTS: Record<BuildingPart, CategoryTexts> = {
  foundation: {
    locations: ["{b}基坑东侧支护桩", "{b}承台", "地下车库筏板", "{b}桩基础", "{b}基坑北侧坡顶", "地下车库底板后浇带"],
    findings: [
      "基坑坡顶堆载超过设计限值，距坑边不足2米",
      "承台混凝土局部蜂窝麻面，振捣不密实",
      "桩头破除后钢筋锚固长度不足",
      "基坑监测数据未按频次报送，水平位移接近预警值",
      "筏板垫层局部积水，未及时排除即浇筑",
      "后浇带两侧未设置止水钢板，且有杂物堆积",
    ],
    measures: [
      "清除坡顶堆载并设置警示区域",
      "凿除疏松混凝土后用高一等级微膨胀混凝土修补",
      "补焊锚固钢筋，经监理验收合格",
      "补报监测数据并加密监测频次",
    ],
  },
  structure: {
    locations: ["{b}3层剪力墙", "{b}标准层楼板", "{b}屋面梁", "{b}转换层框支梁", "{b}楼梯间", "{b}12层柱"],
    findings: [
      "剪力墙拆模后出现竖向裂缝，宽度约0.3毫米",
      "楼板钢筋保护层厚度不足，马凳间距过大",
      "梁柱节点核心区箍筋缺失",
      "混凝土同条件试块未留置",
      "柱混凝土烂根，底部露筋",
      "现浇楼板厚度实测偏差超出允许范围",
    ],
    measures: [
      "对裂缝进行灌浆封闭并出具检测报告",
      "增设马凳筋并复测保护层厚度",
      "按设计补设箍筋并经监理隐蔽验收",
      "补做回弹及钻芯检测，强度满足设计要求",
    ],
  },
  waterproofing: {
    locations: ["地下室B区外墙", "{b}屋面", "{b}卫生间", "地下车库顶板", "{b}外墙窗台", "{b}阳台"],
    findings: [
      "后浇带止水钢板缺失",
      "防水卷材搭接宽度不足，局部空鼓",
      "卫生间闭水试验未做即进行面层施工",
      "顶板防水保护层未及时施工，卷材被机械破损",
      "穿墙套管周边未做附加防水层",
      "屋面泛水高度不足250毫米",
    ],
    measures: [
      "补设止水钢板并重新浇筑",
      "割除空鼓卷材，按规范重新铺贴并加强搭接",
      "补做闭水试验24小时无渗漏",
      "修补破损卷材并及时施工保护层",
    ],
  },
  insulation: {
    locations: ["{b}外墙东立面", "{b}屋面保温层", "{b}外墙西立面", "{b}女儿墙", "{b}外墙北立面"],
    findings: [
      "外墙保温板粘结面积不足40%",
      "保温锚栓数量不足，锚固深度不够",
      "保温材料进场未见复验报告",
      "屋面保温层含水率偏高",
      "保温板拼缝过大，未用同质材料填塞",
    ],
    measures: ["拆除不合格保温板，按点框法重新粘贴", "按设计补打锚栓并做拉拔试验", "补做材料见证取样复验，结果合格", "晾晒并增设排汽孔"],
  },
  finishing: {
    locations: ["{b}公共走廊", "{b}入户大堂", "{b}楼梯间墙面", "{b}室内地面", "{b}外墙涂料"],
    findings: ["墙面抹灰空鼓开裂", "地面找平层起砂", "吊顶龙骨间距过大", "外墙涂料色差明显，局部流坠", "石材干挂连接件锈蚀"],
    measures: ["铲除空鼓抹灰重新施工", "打磨起砂面层并涂刷界面剂后重新找平", "按规范加密龙骨", "重新打磨涂刷，颜色经建设单位确认"],
  },
  electrical: {
    locations: ["{b}配电间", "{b}强电井", "地下车库照明回路", "{b}户内配电箱", "{b}屋面防雷带"],
    findings: [
      "配电箱内零线与地线混接",
      "电缆桥架跨接地线缺失",
      "防雷引下线焊接长度不足",
      "线管预埋弯曲半径过小，穿线困难",
      "消防应急照明回路未单独敷设",
    ],
    measures: ["重新分设零线、地线排并标识", "补设跨接地线并测试接地电阻", "补焊至规范长度并做防腐", "更换线管并重新穿线"],
  },
  plumbing: {
    locations: ["{b}给水管井", "{b}卫生间排水立管", "地下车库消防水池", "{b}厨房排水支管", "{b}屋面雨水斗"],
    findings: ["给水管道水压试验记录缺失", "排水立管未设伸缩节", "雨水斗周边封堵不严", "排水横管坡度不足，存在倒坡", "消防水池池壁渗水"],
    measures: ["补做水压试验并留存记录", "按规范增设伸缩节", "重新封堵并做淋水试验", "调整支吊架，坡度复测合格"],
  },
  hvac: {
    locations: ["{b}新风机房", "地下车库排烟风管", "{b}屋面风机", "{b}厨房排烟道"],
    findings: ["风管法兰连接处漏风", "排烟风管未做耐火包覆", "风机减振装置缺失", "排烟道止回阀安装方向错误"],
    measures: ["更换法兰垫片并做漏风量测试", "按设计补做耐火包覆", "加装减振器", "重新安装止回阀并经监理确认"],
  },
  other: {
    locations: ["{b}施工电梯", "施工现场临时用电", "{b}外脚手架", "材料堆场"],
    findings: ["施工资料与实际进度不符", "进场材料未按批次见证取样", "外脚手架连墙件缺失", "隐蔽工程验收记录签字不全"],
    measures: ["补齐施工资料", "补做见证取样检测", "按方案补设连墙件", "补签隐蔽验收记录"],
  },
};

/** The stages of an inspection (the form's choices), by how far the works have come. */
export const INSPECTION_STAGES: { until: number; stage: string; categories: BuildingPart[] }[] = [
  { until: 0.2, stage: "地基与基础施工", categories: ["foundation", "foundation", "waterproofing", "structure", "other"] },
  {
    until: 0.5,
    stage: "主体结构施工",
    categories: ["structure", "structure", "structure", "waterproofing", "electrical", "plumbing", "other"],
  },
  { until: 0.65, stage: "屋面及防水施工", categories: ["waterproofing", "waterproofing", "insulation", "structure", "plumbing"] },
  {
    until: 0.8,
    stage: "保温及装饰装修",
    categories: ["insulation", "insulation", "finishing", "finishing", "waterproofing", "electrical"],
  },
  { until: 0.95, stage: "机电安装", categories: ["electrical", "electrical", "plumbing", "hvac", "hvac", "finishing"] },
  { until: Infinity, stage: "竣工验收前", categories: ["finishing", "waterproofing", "electrical", "plumbing", "other"] },
];

/** Who inspects for each TIS. */
export const INSPECTORS: Record<string, string[]> = {
  "tis-yjk": ["周工、李工", "周工、杨工", "李工、赵工"],
  "tis-at": ["吴工、马工", "吴工、钱工"],
  "tis-hx": ["郑工、孙工", "郑工、胡工", "孙工、何工"],
};

export const INSPECTION_FINDINGS = [
  "现场施工有序，质量管理资料基本齐全，发现以下问题需整改",
  "总体受控，部分工序质量控制不到位",
  "按计划节点检查，重点抽查隐蔽工程，发现问题已当场告知施工单位",
  "施工单位自检记录不完整，部分部位存在质量隐患",
];

export const RETURN_REASONS = ["整改照片不清晰，未能反映整改部位", "整改不彻底，仍有部分问题未处理", "请补充检测报告"];

export const REVISIT_FINDINGS = [
  "回访住户20户，未发现新的质量问题",
  "个别住户反映卫生间轻微渗水，已由物业报修处理",
  "外墙及屋面无渗漏，公共部位使用正常",
  "地下车库局部墙面返潮，已提醒建设单位关注",
];

export const PLAN_RETURN_REASON = "检查频次不足，请补充主体结构阶段的检查安排";
export const FINAL_RETURN_REASON = "请补充屋面防水问题的整改情况";
export const TERMINATION_REASON = "主体结构重大质量缺陷逾期未整改";
