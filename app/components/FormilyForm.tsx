import { createForm, onFieldInputValueChange, type Form as FormilyCore, type GeneralField } from "@formily/core";
import { FormProvider, createSchemaField, mapReadPretty, connect } from "@formily/react";
import {
  ArrayItems,
  Checkbox,
  DatePicker,
  FormGrid,
  FormItem,
  FormLayout,
  Input,
  NumberPicker,
  Radio,
  Select,
  Space,
  Switch,
} from "@formily/antd-v5";
import type { FormComponentName } from "~/shared/form-components";
import "~/shared/form-rules";
import { AttachmentsField, AttachmentsPreview } from "./AttachmentsField";
import { OrganisationCode, OrganisationName } from "./OrganisationLookup";
import { useEffect, useMemo, type ReactNode } from "react";

type SchemaNode = {
  title?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  "x-component-props"?: Record<string, unknown>;
  [k: string]: unknown;
};

// Every field is named for assistive technology (and for tests) by its title, the rows of lists too.
function withAccessibleNames(node: SchemaNode): SchemaNode {
  const properties = node.properties
    ? Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, withAccessibleNames(v)]))
    : undefined;
  const items = node.items && !Array.isArray(node.items) ? withAccessibleNames(node.items) : undefined;
  const props =
    node.title && node["x-component"] ? { "aria-label": node.title, ...(node["x-component-props"] ?? {}) } : node["x-component-props"];
  return { ...node, ...(properties ? { properties } : {}), ...(items ? { items } : {}), ...(props ? { "x-component-props": props } : {}) };
}

// The components a form schema may name (x-component). Anything else in a schema renders nothing:
// schemas are data, never code.
const Attachments = connect(AttachmentsField, mapReadPretty(AttachmentsPreview));

const components: Record<FormComponentName, unknown> = {
  FormItem,
  FormGrid,
  Space,
  ArrayItems,
  Input,
  NumberPicker,
  Radio,
  Select,
  DatePicker,
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

export interface FormilyFormProps {
  schema: Record<string, unknown>;
  initialValues?: Record<string, unknown> | null;
  /** Field errors from the server, by dotted path; shown on the fields, the input stays. */
  errors?: Record<string, string>;
  readOnly?: boolean;
  children?: (form: FormilyCore) => ReactNode;
}

/** Renders a Formily JSON schema with antd 5 (on the server too), keeping its own form state. */
export function FormilyForm({ schema, initialValues, errors, readOnly, children }: FormilyFormProps) {
  // By content, not identity: the page's data is reloaded after every submission, and a rejected
  // one must leave the form as the user left it, not reset it to what was stored before.
  const initialKey = JSON.stringify(initialValues ?? {});
  const form = useMemo(
    () =>
      createForm({
        initialValues: initialValues ?? {},
        readPretty: readOnly,
        effects() {
          // The server's message on a field (or on the list holding it) stands until the user changes it.
          onFieldInputValueChange("*", (field) => {
            for (let f: GeneralField | undefined = field; f; f = f.parent) clearServerError(f);
          });
        },
      }),
    [initialKey, readOnly],
  );
  const accessible = useMemo(() => withAccessibleNames(schema as SchemaNode), [schema]);
  useEffect(() => {
    for (const [path, message] of Object.entries(errors ?? {})) {
      form.query(path).forEach((field) => {
        if ("setFeedback" in field) field.setFeedback({ type: "error", code: SERVER_ERROR, messages: [message] });
      });
    }
  }, [errors, form]);
  return (
    <FormProvider form={form}>
      {/* deep: fields nested in an object or a list are laid out the same way */}
      <FormLayout layout="vertical" shallow={false}>
        <SchemaField schema={accessible} />
      </FormLayout>
      {children?.(form)}
    </FormProvider>
  );
}
