import {
  createForm,
  isArrayField,
  isField,
  onFieldInputValueChange,
  onFieldValidateEnd,
  type Form as FormilyCore,
  type GeneralField,
} from "@formily/core";
import { FormProvider, createSchemaField, mapReadPretty, connect } from "@formily/react";
import {
  ArrayItems,
  Checkbox,
  FormGrid,
  FormItem,
  FormLayout,
  Input,
  PreviewText,
  Radio,
  Select,
  Space,
  Switch,
} from "@formily/antd-v5";
import type { FormComponentName } from "~/shared/form-components";
import { fieldRules, textLength } from "~/shared/field-rules";
import { FLOW_FACTS, earliestAllowed, fieldsReadBy, namesRule, type FlowFactValues } from "~/shared/form-rules";
import { AttachmentsField } from "./AttachmentsField";
import { AttachmentsPreview } from "./AttachmentsPreview";
import { FormDayPicker } from "./DayPicker";
import { FormNumberPicker } from "./NumberPicker";
import { choosePrompt } from "./FilterSelect";
import { OrganisationCode, OrganisationName } from "./FormilyOrganisationFields";
import { useEffect, useMemo, useRef, type ComponentProps, type ReactNode } from "react";

type SchemaNode = {
  title?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  "x-component-props"?: Record<string, unknown>;
  [k: string]: unknown;
};

// Components that show how much text they hold against the field's maxLength.
const COUNTED = new Set(["Input", "Input.TextArea"]);

// Every field is named for assistive technology (and for tests) by its title, the rows of lists too,
// and judged by the rules its schema implies with the server's words (fieldRules): a required field
// missing says which (请填写“报建号”, 请上传 for a file), text over its maxLength says the limit as
// one types, beside a count of the characters (never cut: the browser's own maxlength would); a
// date's calendar offers only the days its rules allow: none to come where it must have happened
// (notAfterToday), none before a fact of the flow it may not precede ($flow.reportedOn).
function forThePage(node: SchemaNode, facts: FlowFactValues, name = ""): SchemaNode {
  const properties = node.properties
    ? Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, forThePage(v, facts, k)]))
    : undefined;
  const items = node.items && !Array.isArray(node.items) ? forThePage(node.items, facts, name) : undefined;
  const counted =
    typeof node.maxLength === "number" && COUNTED.has(node["x-component"] as string)
      ? { count: { show: true, max: node.maxLength, strategy: textLength } }
      : {};
  // A select asks for what it holds (请选择缺陷部位), as every select of the platform does.
  const prompt = node["x-component"] === "Select" && node.title ? { placeholder: choosePrompt(node.title) } : {};
  const earliest = node["x-component"] === "DatePicker" ? earliestAllowed(node["x-validator"], facts) : undefined;
  const bounds =
    node["x-component"] === "DatePicker"
      ? { ...(earliest ? { earliest } : {}), ...(namesRule(node["x-validator"], "notAfterToday") ? { pastOnly: true } : {}) }
      : {};
  const props = {
    ...(node.title && node["x-component"] ? { "aria-label": node.title } : {}),
    ...counted,
    ...prompt,
    ...bounds,
    ...(node["x-component-props"] ?? {}),
  };
  const rules = fieldRules(node, name);
  return {
    ...node,
    ...(properties ? { properties } : {}),
    ...(items ? { items } : {}),
    ...(Object.keys(props).length ? { "x-component-props": props } : {}),
    ...(rules.length ? { "x-validator": rules } : {}),
  };
}

// A grid of fields narrower than this (a phone) shows one field a row, whatever the schema's
// column count; a schema that sets its own breakpoints keeps them.
const ONE_COLUMN_UP_TO = 560;

function ResponsiveFormGrid(props: ComponentProps<typeof FormGrid>) {
  const { breakpoints, maxColumns, minColumns } = props;
  if (breakpoints || Array.isArray(maxColumns) || Array.isArray(minColumns)) return <FormGrid {...props} />;
  return (
    <FormGrid
      {...props}
      breakpoints={[ONE_COLUMN_UP_TO, Infinity]}
      maxColumns={[1, maxColumns ?? Infinity]}
      minColumns={[1, minColumns ?? 1]}
    />
  );
}
const ResponsiveGrid = Object.assign(ResponsiveFormGrid, { GridColumn: FormGrid.GridColumn });

// The components a form schema may name (x-component). Anything else in a schema renders nothing:
// schemas are data, never code.
const Attachments = connect(AttachmentsField, mapReadPretty(AttachmentsPreview));

const components: Record<FormComponentName, unknown> = {
  FormItem,
  FormGrid: ResponsiveGrid,
  Space,
  ArrayItems,
  Input,
  NumberPicker: FormNumberPicker,
  Radio,
  Select,
  DatePicker: FormDayPicker,
  Checkbox,
  Switch,
  Attachments,
  OrganisationCode,
  OrganisationName,
};
const SchemaField = createSchemaField({ components: components as never });

// Formily's code for errors set from outside its validators.
const SERVER_ERROR = "EffectError";

function clearServerError(field: GeneralField) {
  if ("setFeedback" in field) field.setFeedback({ type: "error", code: SERVER_ERROR, messages: [] });
}

const isEmptyValue = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

/**
 * After the user changed `changed`, the server's word on it no longer holds: on the field, on the
 * lists and objects holding it, and, when a list's rows were added or removed, on everything in it.
 * Fields whose rules read it (a premium its sum insured, a list's total its rows and the lead
 * share) are judged again, as soon as they hold something or showed an error.
 */
function afterInput(form: FormilyCore, changed: GeneralField) {
  for (let f: GeneralField | undefined = changed; f; f = f.parent) clearServerError(f);
  const path = changed.path.toString();
  const within = (outer: string) => path === outer || path.startsWith(`${outer}.`);
  form.query("*").forEach((target) => {
    if (target === changed || !isField(target)) return;
    const own = target.path.toString();
    if (isArrayField(changed) && own.startsWith(`${path}.`)) clearServerError(target);
    const readsChanged = fieldsReadBy(target.validator).some(within) || (isArrayField(target) && target.validator && within(own));
    if (!readsChanged) return;
    clearServerError(target);
    if (target.modified || target.invalid || !isEmptyValue(target.value)) void target.validate().catch(() => {});
  });
}

/** Brings the first field showing an error into view and puts the cursor in it. */
function showFirstError() {
  requestAnimationFrame(() => {
    const item = document.querySelector<HTMLElement>(".ant-formily-item-error");
    if (!item) return;
    item.scrollIntoView({ block: "center" });
    item.querySelector<HTMLElement>("input, textarea, button")?.focus({ preventScroll: true });
  });
}

/**
 * Submits the form through `send` when its own rules pass and nothing beside it is wrong (`besides`:
 * how many fields outside the form, such as 办理意见, say why they cannot be sent): the server's
 * earlier messages are then set aside (it is asked again). Otherwise nothing is sent, the first
 * error is brought into view, and the answer is how many fields show an error, for the page to say why.
 */
/** How many fields of the form show an error now. */
const wrongFieldsOf = (form: FormilyCore) => new Set(form.errors.map((e) => e.address)).size;

export async function submitForm(
  form: FormilyCore,
  send: (values: Record<string, unknown>) => void | Promise<unknown>,
  besides = 0,
): Promise<number> {
  const wrongFields = () => wrongFieldsOf(form) + besides;
  await form.validate().catch(() => {});
  if (besides || form.errors.some((e) => e.code !== SERVER_ERROR)) {
    showFirstError();
    return wrongFields();
  }
  form.query("*").forEach(clearServerError);
  try {
    await form.submit(send);
    return 0;
  } catch (failure) {
    // A rejection that is not the form's list of errors is a real failure.
    if (!Array.isArray(failure)) throw failure;
    showFirstError();
    return Math.max(1, wrongFields());
  }
}

export interface FormilyFormProps {
  schema: Record<string, unknown>;
  initialValues?: Record<string, unknown> | null;
  /** Field errors from the server, by dotted path; shown on the fields, the input stays. */
  errors?: Record<string, string>;
  readOnly?: boolean;
  /** What the flow's business object holds, for the rules that compare with it ("$flow.reportedOn"). */
  facts?: FlowFactValues;
  /** Told how many fields show an error each time one is judged again (a summary above the form stays true as they are put right). */
  onWrongFields?: (count: number) => void;
  children?: (form: FormilyCore) => ReactNode;
}

/** Renders a Formily JSON schema with antd 5 (on the server too), keeping its own form state. */
export function FormilyForm({ schema, initialValues, errors, readOnly, facts, onWrongFields, children }: FormilyFormProps) {
  const wrongFieldsListener = useRef(onWrongFields);
  wrongFieldsListener.current = onWrongFields;
  // By content, not identity: the page's data is reloaded after every submission, and a rejected
  // one must leave the form as the user left it, not reset it to what was stored before. The
  // flow's facts sit beside the values, as the server's validation puts them, and win over any a
  // draft kept (the server ignores what a submission says they are).
  const initialKey = JSON.stringify({ ...initialValues, ...(facts ? { [FLOW_FACTS]: facts } : {}) });
  const form = useMemo(
    () =>
      createForm({
        // From the key, which is what the form is remade for: the values as they are now.
        initialValues: JSON.parse(initialKey),
        readPretty: readOnly,
        effects() {
          // The server's message on a field (or on the list holding it) stands until the user changes it
          // or what it depends on; rules that read other fields are judged again when those change.
          onFieldInputValueChange("*", (field, form) => {
            afterInput(form, field);
            wrongFieldsListener.current?.(wrongFieldsOf(form));
          });
          onFieldValidateEnd("*", (_field, form) => wrongFieldsListener.current?.(wrongFieldsOf(form)));
        },
      }),
    [initialKey, readOnly],
  );
  const factsKey = JSON.stringify(facts ?? {});
  const accessible = useMemo(() => forThePage(schema as SchemaNode, JSON.parse(factsKey)), [schema, factsKey]);
  useEffect(() => {
    for (const [path, message] of Object.entries(errors ?? {})) {
      form.query(path).forEach((field) => {
        if ("setFeedback" in field) field.setFeedback({ type: "error", code: SERVER_ERROR, messages: [message] });
      });
    }
    if (errors && Object.keys(errors).length) showFirstError();
  }, [errors, form]);
  return (
    <FormProvider form={form}>
      {/* deep: fields nested in an object or a list are laid out the same way */}
      <FormLayout layout="vertical" shallow={false}>
        {/* A field left empty reads — in a form shown read-only, not Formily's N/A. */}
        <PreviewText.Placeholder value="—">
          <SchemaField schema={accessible} />
        </PreviewText.Placeholder>
      </FormLayout>
      {children?.(form)}
    </FormProvider>
  );
}
