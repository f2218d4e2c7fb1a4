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
