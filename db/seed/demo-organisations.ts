import type { OrganisationType } from "../schema/roles";

// The demo city's organisations. Names are invented but shaped like real Kunming ones; the
// credit codes are built with valid check characters from the `code` stem (9 characters).
export interface DemoOrganisation {
  key: string;
  type: OrganisationType;
  name: string;
  stem: string;
  district: string;
  contactPerson: string;
  contactPhone: string;
  address: string;
}

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  { key: "platform", type: "platform", name: "昆明市住宅工程质量潜在缺陷保险信息平台运营中心", stem: "MA6K0P001", district: "530114", contactPerson: "赵立新", contactPhone: "0871-63100001", address: "呈贡区锦绣大街1号" },
  { key: "regulator", type: "regulator", name: "昆明市住房和城乡建设局", stem: "015123456", district: "530114", contactPerson: "李建华", contactPhone: "0871-63191234", address: "呈贡区市级行政中心" },
  { key: "picc", type: "insurer", name: "中国人民财产保险股份有限公司昆明市分公司", stem: "71948205X", district: "530102", contactPerson: "王海燕", contactPhone: "0871-65101234", address: "五华区东风西路" },
  { key: "cpic", type: "insurer", name: "中国太平洋财产保险股份有限公司云南分公司", stem: "77263150K", district: "530103", contactPerson: "陈思远", contactPhone: "0871-63562345", address: "盘龙区北京路" },
  { key: "pingan", type: "insurer", name: "中国平安财产保险股份有限公司云南分公司", stem: "73085216R", district: "530111", contactPerson: "刘晓峰", contactPhone: "0871-68213456", address: "官渡区春城路" },
  { key: "chinare", type: "reinsurer", name: "中国财产再保险有限责任公司", stem: "710932287", district: "530102", contactPerson: "孙明", contactPhone: "010-66576801", address: "北京市西城区金融大街" },
  { key: "tis-yjk", type: "tis", name: "云南建科工程质量风险管理有限公司", stem: "MA6N2Q3B1", district: "530112", contactPerson: "周建国", contactPhone: "0871-68345678", address: "西山区滇池路" },
  { key: "tis-at", type: "tis", name: "昆明安泰建设工程技术咨询有限公司", stem: "MA6P7C8D2", district: "530111", contactPerson: "吴敏", contactPhone: "0871-67123456", address: "官渡区关上中路" },
  { key: "tis-hx", type: "tis", name: "华信工程风险管理（云南）有限公司", stem: "MA6Q1E4F3", district: "530171", contactPerson: "郑凯", contactPhone: "0871-68456789", address: "高新区海源北路" },
  { key: "dev-dc", type: "developer", name: "昆明滇池湾置业有限公司", stem: "MA6R2G5H4", district: "530112", contactPerson: "冯伟", contactPhone: "0871-64112233", address: "西山区广福路" },
  { key: "dev-cc", type: "developer", name: "云南春城房地产开发有限公司", stem: "MA6T3J6K5", district: "530111", contactPerson: "何丽", contactPhone: "0871-67223344", address: "官渡区彩云北路" },
  { key: "dev-jb", type: "developer", name: "昆明金碧坊置业有限公司", stem: "MA6U4L7M6", district: "530102", contactPerson: "许强", contactPhone: "0871-63334455", address: "五华区三市街" },
  { key: "dev-cg", type: "developer", name: "昆明呈贡新城开发建设有限公司", stem: "MA6W5N8P7", district: "530114", contactPerson: "邓芳", contactPhone: "0871-67445566", address: "呈贡区彩云南路" },
  { key: "con-yj2", type: "contractor", name: "云南建设投资第二建筑工程有限公司", stem: "21652378X", district: "530103", contactPerson: "曹磊", contactPhone: "0871-65556677", address: "盘龙区白塔路" },
  { key: "con-km3", type: "contractor", name: "昆明第三建筑工程有限公司", stem: "21657734N", district: "530102", contactPerson: "彭涛", contactPhone: "0871-64667788", address: "五华区人民西路" },
  { key: "con-zj", type: "contractor", name: "中建西南建设工程有限公司云南分公司", stem: "MA6X6Q9R8", district: "530172", contactPerson: "曾勇", contactPhone: "0871-67778899", address: "经开区信息产业基地" },
  { key: "con-dh", type: "contractor", name: "云南德宏建筑安装工程有限公司", stem: "MA6Y7T0U9", district: "530181", contactPerson: "肖鹏", contactPhone: "0871-68889900", address: "安宁市连然街道" },
  { key: "sup-hy", type: "supervisor", name: "云南华域工程建设监理有限公司", stem: "MA6K8W1X0", district: "530103", contactPerson: "田静", contactPhone: "0871-65990011", address: "盘龙区万华路" },
  { key: "sup-cj", type: "supervisor", name: "昆明城建工程监理咨询有限公司", stem: "MA6L9Y2A1", district: "530111", contactPerson: "董杰", contactPhone: "0871-67001122", address: "官渡区民航路" },
  { key: "des-ys", type: "designer", name: "云南省设计院集团有限公司", stem: "216523451", district: "530102", contactPerson: "袁斌", contactPhone: "0871-63112200", address: "五华区滇缅大道" },
  { key: "des-kk", type: "designer", name: "昆明市建筑设计研究院股份有限公司", stem: "216540192", district: "530103", contactPerson: "蒋华", contactPhone: "0871-63223311", address: "盘龙区东风东路" },
  { key: "rep-lj", type: "repairer", name: "昆明利家物业服务有限公司", stem: "MA6M0B3C2", district: "530112", contactPerson: "蔡红", contactPhone: "0871-68334422", address: "西山区前卫西路" },
  { key: "rep-ax", type: "repairer", name: "云南安心房屋维修工程有限公司", stem: "MA6N1D4E3", district: "530111", contactPerson: "潘军", contactPhone: "0871-67445533", address: "官渡区世纪城" },
];

// One demo user per role; each belongs to the first organisation of its type above.
export const DEMO_USERS: { username: string; displayName: string; role: string; organisation: string; phone: string }[] = [
  { username: "admin", displayName: "平台管理员", role: "admin", organisation: "platform", phone: "13800000001" },
  { username: "hotline", displayName: "热线坐席小杨", role: "hotline", organisation: "platform", phone: "13800000002" },
  { username: "regulator", displayName: "住建局李科长", role: "regulator", organisation: "regulator", phone: "13800000003" },
  { username: "insurer", displayName: "人保王经理", role: "insurer", organisation: "picc", phone: "13800000004" },
  { username: "reinsurer", displayName: "中再孙经理", role: "reinsurer", organisation: "chinare", phone: "13800000005" },
  { username: "tis", displayName: "建科周工", role: "tis", organisation: "tis-yjk", phone: "13800000006" },
  { username: "developer", displayName: "滇池湾冯经理", role: "developer", organisation: "dev-dc", phone: "13800000007" },
  { username: "contractor", displayName: "云南建投曹工", role: "contractor", organisation: "con-yj2", phone: "13800000008" },
  { username: "supervisor", displayName: "华域监理田工", role: "supervisor", organisation: "sup-hy", phone: "13800000009" },
  { username: "designer", displayName: "省设计院袁工", role: "designer", organisation: "des-ys", phone: "13800000010" },
  { username: "repairer", displayName: "利家物业蔡经理", role: "repairer", organisation: "rep-lj", phone: "13800000011" },
];
