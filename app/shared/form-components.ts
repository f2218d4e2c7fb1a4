import { LOOKUP_ORGANISATION_TYPES } from "./organisation-lookup";

// The components a form schema may name in x-component / x-decorator: what FormilyForm renders.
// Anything else is refused when a form is deployed.
export const FORM_COMPONENTS = [
  "FormItem",
  "FormGrid",
  "Space",
  "ArrayItems",
  "Input",
  "NumberPicker",
  "Radio",
  "Select",
  "DatePicker",
  "Checkbox",
  "Switch",
  "Attachments",
  "OrganisationCode",
  "OrganisationName",
] as const;
export type FormComponentName = (typeof FORM_COMPONENTS)[number];

// Their parts a schema may name as "Component.Part".
export const FORM_COMPONENT_PARTS = [
  "ArrayItems.Addition",
  "ArrayItems.Remove",
  "ArrayItems.MoveUp",
  "ArrayItems.MoveDown",
  "ArrayItems.SortHandle",
  "ArrayItems.Index",
  "ArrayItems.Item",
  "FormGrid.GridColumn",
  "Radio.Group",
  "Checkbox.Group",
  "Input.TextArea",
  "DatePicker.RangePicker",
] as const;

export const FORM_DECORATORS = ["FormItem"] as const;

/** A JSON Schema fragment (draft-07), as the form editor's completion reads it. */
export type JsonSchemaFragment = Record<string, unknown>;

const text = (description: string): JsonSchemaFragment => ({ type: "string", description });
const whole = (description: string, minimum = 1): JsonSchemaFragment => ({ type: "integer", minimum, description });
const flag = (description: string): JsonSchemaFragment => ({ type: "boolean", description });
const PLACEHOLDER = { placeholder: text("输入框中的提示文字") };
const STYLE = { style: { type: "object", description: '样式（如 { "width": 240 }）' } };
const ORGANISATION_TYPE = {
  organisationType: {
    enum: [...LOOKUP_ORGANISATION_TYPES],
    description: "只查找此类单位",
  },
  allowUnknown: flag("允许填写平台尚未登记的单位"),
};

/**
 * What the form editor says of each component a schema may name: its Chinese name and the
 * x-component-props it is known to take (completion offers them; other props pass to the antd
 * component as they are). NumberPicker's min/max are left out on purpose: the deploy check
 * refuses them (they change a typed number without a word).
 */
export const FORM_COMPONENT_INFO: Record<
  (typeof FORM_COMPONENTS)[number] | (typeof FORM_COMPONENT_PARTS)[number],
  {
    label: string;
    props?: Record<string, JsonSchemaFragment>;
  }
> = {
  FormItem: { label: "表单项（标题、必填星号、错误提示）", props: { tooltip: text("标题旁的说明"), extra: text("输入框下方的说明") } },
  FormGrid: {
    label: "栅格布局（字段并排）",
    props: { maxColumns: whole("最多几列"), minColumns: whole("最少几列"), columnGap: whole("列间距（像素）", 0) },
  },
  Space: { label: "并排（间距排列）", props: { direction: { enum: ["horizontal", "vertical"], description: "排列方向" } } },
  ArrayItems: { label: "列表（可增删的多行）" },
  Input: { label: "单行文字", props: { ...PLACEHOLDER, ...STYLE, addonAfter: text("输入框后的单位，如 元") } },
  NumberPicker: {
    label: "数字",
    props: {
      ...PLACEHOLDER,
      ...STYLE,
      precision: whole("小数位数", 0),
      step: { type: "number", description: "步长" },
      addonAfter: text("输入框后的单位，如 元"),
    },
  },
  Radio: { label: "单选（单个）" },
  Select: {
    label: "下拉选择（选项写在 enum 中）",
    props: { ...PLACEHOLDER, ...STYLE, mode: { enum: ["multiple", "tags"], description: "多选" }, allowClear: flag("可清空") },
  },
  DatePicker: { label: "日期（年-月-日）", props: { ...PLACEHOLDER, ...STYLE } },
  Checkbox: { label: "勾选框" },
  Switch: { label: "开关（是/否）" },
  Attachments: {
    label: "附件上传",
    props: {
      accept: text("可上传的文件类型，如 image/*,.pdf"),
      capture: { enum: ["user", "environment"], description: "手机上直接拍照（environment：后置摄像头）" },
      maxCount: whole("最多几个文件"),
      maxImageSide: whole("照片长边压缩到的像素"),
    },
  },
  OrganisationCode: {
    label: "单位统一社会信用代码（查平台登记的单位）",
    props: { ...ORGANISATION_TYPE, ...PLACEHOLDER, nameField: text("同时填入单位名称的字段") },
  },
  OrganisationName: {
    label: "单位名称（查平台登记的单位）",
    props: { ...ORGANISATION_TYPE, ...PLACEHOLDER, codeField: text("同时填入信用代码的字段") },
  },
  "ArrayItems.Addition": { label: "列表的“添加一行”按钮" },
  "ArrayItems.Remove": { label: "列表行的“删除”按钮" },
  "ArrayItems.MoveUp": { label: "列表行的“上移”按钮" },
  "ArrayItems.MoveDown": { label: "列表行的“下移”按钮" },
  "ArrayItems.SortHandle": { label: "列表行的拖动把手" },
  "ArrayItems.Index": { label: "列表行的序号" },
  "ArrayItems.Item": { label: "列表的一行" },
  "FormGrid.GridColumn": { label: "栅格的一格", props: { gridSpan: whole("占几列") } },
  "Radio.Group": { label: "单选（选项写在 enum 中）", props: { optionType: { enum: ["default", "button"], description: "按钮样式" } } },
  "Checkbox.Group": { label: "多选（选项写在 enum 中）" },
  "Input.TextArea": { label: "多行文字", props: { ...PLACEHOLDER, rows: whole("显示几行"), autoSize: flag("随内容增高") } },
  "DatePicker.RangePicker": { label: "日期范围" },
};
