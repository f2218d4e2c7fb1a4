import type { BuildingPart } from "@db/schema/building-parts";
import type { RatingReason } from "@db/schema/claims";

// What owners, the hotline, insurers' surveyors and repairers write on the demo city's claims:
// defects of delivered homes as they are usually reported in the first years after handover, each
// with the survey's finding, the repair plan and the repair, shaped like real claim files.

export interface DefectTexts {
  part: BuildingPart;
  /** The owner's words. */
  description: string;
  /** The owner's own estimate of the repair in yuan (null: "不清楚"); below 3000 a covered claim takes the fast track. */
  estimate: number | null;
  cause: string;
  extent: string;
  recommendation: string;
  plan: string;
  /** The assessed cost in yuan. */
  cost: number;
  repair: string;
  /** Why an insurer may find it is not a covered defect (不予立案), told to the owner. */
  declineReason?: string;
}

export const DEFECTS: DefectTexts[] = [
  {
    part: "waterproofing",
    description: "卫生间顶棚渗水，楼上洗澡后吊顶滴水，石膏板已发霉",
    estimate: 6000,
    cause: "楼上卫生间防水层在管根处破损，闭水试验渗漏",
    extent: "下层卫生间吊顶约3平方米受潮，石膏板霉变",
    recommendation: "楼上卫生间管根处重做防水并闭水试验，下层更换吊顶",
    plan: "凿开楼上卫生间管根周边地面，重做聚氨酯防水层，闭水48小时合格后恢复地砖；下层更换石膏板吊顶并刷防霉涂料",
    cost: 6800,
    repair: "楼上卫生间管根重做防水，闭水48小时无渗漏；下层吊顶已更换",
    declineReason: "经查勘，渗水系楼上业主装修时破坏卫生间防水层造成，不属于工程质量缺陷，请与楼上业主协商处理",
  },
  {
    part: "waterproofing",
    description: "客厅落地窗下沿下雨就渗水，木地板泡起来了",
    estimate: 5000,
    cause: "窗框与墙体间打胶开裂，窗台外侧未设披水坡度",
    extent: "窗下墙面及约4平方米木地板受潮起拱",
    recommendation: "重新打胶密封并修整窗台坡度，更换受损地板",
    plan: "清除旧胶，窗框四周发泡填塞后内外打耐候胶，外窗台找坡；更换受损木地板约4平方米",
    cost: 5200,
    repair: "窗框重新填塞打胶，外窗台已找坡，淋水试验无渗漏；木地板已更换",
  },
  {
    part: "waterproofing",
    description: "顶楼卧室天花板雨后有大片水渍，墙角往下流水",
    estimate: null,
    cause: "屋面防水卷材搭接处开裂，女儿墙泛水收头脱开",
    extent: "顶层卧室顶棚约6平方米水渍，墙面乳胶漆起皮",
    recommendation: "屋面局部重做防水，修复泛水收头，室内顶棚墙面翻新",
    plan: "屋面开裂部位切除后加铺SBS卷材两层，泛水收头压条固定并密封；室内铲除受损腻子重新刮腻子刷漆",
    cost: 9600,
    repair: "屋面局部防水已重做，蓄水试验合格；卧室顶棚墙面已翻新",
  },
  {
    part: "waterproofing",
    description: "地下车库我家车位上方一直滴水，车顶都是水渍",
    estimate: 2000,
    cause: "顶板后浇带止水处理不到位，局部渗漏",
    extent: "车位上方顶板一处渗漏点，面积约0.5平方米",
    recommendation: "渗漏点注浆堵漏",
    plan: "渗漏点钻孔注浆堵漏，表面涂刷防水涂料",
    cost: 1800,
    repair: "顶板渗漏点已注浆堵漏，观察三天无滴水",
  },
  {
    part: "insulation",
    description: "外墙保温层鼓包，靠近我家阳台的一块已经开裂，担心掉下来",
    estimate: null,
    cause: "保温板粘结面积不足，锚栓数量少于设计要求",
    extent: "阳台外侧保温层空鼓约5平方米，局部开裂",
    recommendation: "铲除空鼓保温层，按规范重新粘贴并加设锚栓",
    plan: "搭设吊篮，铲除空鼓部位保温板，满粘重贴并按每平方米6个加设锚栓，恢复抗裂砂浆及外墙涂料",
    cost: 12800,
    repair: "空鼓保温层已铲除重贴，锚栓按设计加设，外墙涂料已恢复",
  },
  {
    part: "insulation",
    description: "冬天卧室外墙内侧结露发霉，摸着冰凉",
    estimate: 4000,
    cause: "外墙保温板拼缝过大，形成冷桥",
    extent: "卧室外墙内侧约3平方米结露霉斑",
    recommendation: "外墙拼缝处补填保温材料，室内除霉后刷防霉涂料",
    plan: "外墙拼缝处发泡填塞并补贴保温条，室内铲除霉变腻子，刷防霉底漆后恢复饰面",
    cost: 4600,
    repair: "外墙冷桥部位已补做保温，室内墙面已除霉翻新",
  },
  {
    part: "structure",
    description: "客厅楼板出现一条贯通的裂缝，从墙角斜着过去，有一米多长",
    estimate: null,
    cause: "楼板混凝土收缩裂缝，经检测宽度0.2毫米，未影响结构安全",
    extent: "客厅楼板一条裂缝长约1.3米，宽0.2毫米",
    recommendation: "裂缝化学灌浆封闭，表面恢复装饰",
    plan: "裂缝低压注射环氧树脂封闭，粘贴碳纤维布加强，恢复顶棚腻子及涂料",
    cost: 8500,
    repair: "裂缝已灌浆封闭并粘贴碳纤维布，顶棚饰面已恢复",
  },
  {
    part: "structure",
    description: "阳台梁下面有好几道竖向裂缝，下雨时还往外渗水",
    estimate: null,
    cause: "梁侧面收缩裂缝，检测宽度0.15至0.3毫米",
    extent: "阳台梁侧面裂缝4条",
    recommendation: "裂缝灌浆封闭，表面做防水处理",
    plan: "对梁侧裂缝注射环氧树脂，表面涂刷渗透结晶型防水涂料，恢复外立面涂料",
    cost: 7200,
    repair: "梁侧裂缝已灌浆封闭，表面防水处理完成",
  },
  {
    part: "foundation",
    description: "一楼入户门口地面下沉，门都关不上了",
    estimate: null,
    cause: "入户平台回填土压实度不足，不均匀沉降",
    extent: "入户平台下沉约3厘米，门扇与地面摩擦",
    recommendation: "平台注浆加固后重新找平",
    plan: "平台下回填土分层注浆加固，重新浇筑找平层并铺贴地砖，调整入户门",
    cost: 15600,
    repair: "平台注浆加固完成，地面找平重铺，入户门开关正常",
  },
  {
    part: "finishing",
    description: "客厅墙面多处开裂，裂缝越来越长",
    estimate: 2500,
    cause: "砌体与混凝土交界处未挂钢丝网，抹灰收缩开裂",
    extent: "客厅墙面裂缝3处，总长约4米",
    recommendation: "开槽挂网后重新抹灰刷漆",
    plan: "沿裂缝开槽，挂耐碱玻纤网格布后重新抹灰，整面墙刮腻子刷乳胶漆",
    cost: 2400,
    repair: "裂缝部位已挂网重新抹灰，整面墙已刷漆",
    declineReason: "经查勘，墙面裂缝系业主拆改非承重墙引起，属于保险条款除外责任",
  },
  {
    part: "finishing",
    description: "厨房地砖空鼓，踩上去有响声，有两块已经裂了",
    estimate: 1500,
    cause: "地砖铺贴砂浆不饱满，空鼓率超过规范要求",
    extent: "厨房地砖空鼓约6块，其中2块开裂",
    recommendation: "更换空鼓开裂地砖",
    plan: "撬除空鼓地砖，清理基层后满浆重新铺贴，更换开裂地砖",
    cost: 1200,
    repair: "空鼓及开裂地砖已重新铺贴，敲击无空响",
    declineReason: "经查勘，地砖破损系重物撞击造成，非施工质量原因",
  },
  {
    part: "finishing",
    description: "入户门变形，关门很费劲，门框有缝",
    estimate: 2800,
    cause: "门框安装固定点不足，使用后变形",
    extent: "入户门门框下沉约5毫米",
    recommendation: "门框加固并调整门扇",
    plan: "门框增设膨胀螺栓固定，发泡填塞，调整合页及门扇",
    cost: 900,
    repair: "门框已加固，门扇调整后开关顺畅",
    declineReason: "该入户门由业主入住后自行更换安装，不在保险责任范围",
  },
  {
    part: "plumbing",
    description: "厨房水槽下面的排水管漏水，柜子底板都泡坏了",
    estimate: 1200,
    cause: "排水立管支管接口胶粘不牢，渗漏",
    extent: "厨房排水支管接口渗漏，橱柜底板受潮",
    recommendation: "更换支管接头，赔偿橱柜底板",
    plan: "更换排水支管及接头，重新粘接并通水试验；更换橱柜底板",
    cost: 1100,
    repair: "排水支管接头已更换，通水试验无渗漏，橱柜底板已更换",
  },
  {
    part: "plumbing",
    description: "卫生间地漏返臭还往上冒水，楼上一放水就冒",
    estimate: 2000,
    cause: "排水立管存水弯缺失，通气不畅",
    extent: "卫生间地漏返水返味",
    recommendation: "加装存水弯并疏通立管",
    plan: "更换带存水弯的地漏，疏通排水立管并检查通气帽",
    cost: 800,
    repair: "地漏已更换为防臭地漏，立管已疏通，不再返水",
  },
  {
    part: "plumbing",
    description: "墙里的热水管好像漏了，墙面一直是湿的",
    estimate: null,
    cause: "暗埋热水管热熔接头虚焊渗漏",
    extent: "卫生间墙面约2平方米潮湿，瓷砖后有积水",
    recommendation: "开槽更换漏水管段，恢复墙面瓷砖",
    plan: "开槽找出渗漏接头，更换该段热水管并打压试验，恢复防水及瓷砖",
    cost: 3600,
    repair: "渗漏管段已更换，打压试验合格，墙面瓷砖已恢复",
  },
  {
    part: "electrical",
    description: "卧室两个插座都没电，空开也没跳",
    estimate: 500,
    cause: "插座回路接线端子松脱",
    extent: "卧室插座回路断电",
    recommendation: "紧固接线并检测回路",
    plan: "打开线盒紧固接线端子，检测回路绝缘电阻",
    cost: 300,
    repair: "接线已紧固，插座通电正常，绝缘检测合格",
  },
  {
    part: "electrical",
    description: "厨房一用电器就跳闸，漏电保护器老是断",
    estimate: 1000,
    cause: "厨房插座回路导线绝缘层施工时破损，对地漏电",
    extent: "厨房插座回路漏电",
    recommendation: "更换破损导线",
    plan: "抽换厨房插座回路导线，检测漏电保护器动作",
    cost: 950,
    repair: "破损导线已抽换，漏电保护器动作正常",
    declineReason: "经检测，跳闸系业主自行加装大功率电器导致线路过载，不属于工程质量缺陷",
  },
  {
    part: "hvac",
    description: "地暖有两个房间不热，其他房间正常",
    estimate: 2500,
    cause: "地暖分集水器两路阀门安装反向，管内有气堵",
    extent: "两个卧室地暖回路不循环",
    recommendation: "调整阀门并排气冲洗",
    plan: "调整分集水器阀门方向，逐路排气冲洗后试运行",
    cost: 600,
    repair: "阀门已调整，各回路排气后供暖正常",
  },
  {
    part: "hvac",
    description: "空调冷凝水管往屋里倒流，墙上都是水印",
    estimate: 800,
    cause: "预埋冷凝水管坡度反坡",
    extent: "卧室空调冷凝水倒流，墙面水印约1平方米",
    recommendation: "重新敷设冷凝水管并修补墙面",
    plan: "改为明装冷凝水管并保证坡度，修补墙面",
    cost: 700,
    repair: "冷凝水管已重新敷设，排水通畅，墙面已修补",
    declineReason: "冷凝水倒流系业主自行移机后未按要求敷设排水管造成，不属于保险责任",
  },
];

/** Why owners send a repair back (退回重修). */
export const REFUSAL_REASONS = ["顶棚仍有水渍，下雨后还在渗", "修补的地方颜色和原来墙面差别很大，要求整面重刷", "维修后还是跳闸"];

/** Who phones the hotline on an owner's behalf. */
export const HOTLINE_CALLERS = ["本人", "家属", "租户"];

/** Owners' surnames for the demo homes (names shown as 某先生/某女士). */
export const SURNAMES = [
  "张",
  "李",
  "王",
  "刘",
  "陈",
  "杨",
  "赵",
  "黄",
  "周",
  "吴",
  "徐",
  "孙",
  "马",
  "朱",
  "胡",
  "郭",
  "何",
  "林",
  "罗",
  "高",
  "段",
  "普",
];

/** Ratings of closed claims: stars, the complaint reasons, what the owner wrote. */
export const RATINGS: { stars: number; reasons: RatingReason[]; comment?: string }[] = [
  { stars: 5, reasons: [], comment: "受理很快，维修师傅很专业" },
  { stars: 5, reasons: [], comment: "第二天就来查勘了，满意" },
  { stars: 4, reasons: ["duration"], comment: "修得不错，就是等材料多等了几天" },
  { stars: 5, reasons: [] },
  { stars: 3, reasons: ["response", "duration"], comment: "报案后两天才有人联系" },
  { stars: 4, reasons: [], comment: "小额快赔很方便" },
  { stars: 2, reasons: ["quality", "duration"], comment: "第一次没修好，返工了一次" },
  { stars: 5, reasons: [], comment: "师傅态度很好，现场收拾得很干净" },
  { stars: 4, reasons: ["plan"], comment: "维修方案可以再彻底一些" },
  { stars: 1, reasons: ["response", "attitude", "liability"], comment: "打了好几次电话才受理，还说是我们自己的问题" },
  { stars: 5, reasons: [] },
  { stars: 3, reasons: ["price"], comment: "赔付金额比我找人报价低" },
  { stars: 4, reasons: [], comment: "整体满意" },
  { stars: 5, reasons: [], comment: "没想到这么快就修好了" },
  { stars: 2, reasons: ["attitude", "quality"], comment: "维修人员不太耐心，墙面补得不平" },
  { stars: 4, reasons: ["duration"] },
];
