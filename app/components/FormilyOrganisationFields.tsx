import type { Field } from "@formily/core";
import { connect, mapReadPretty, useField } from "@formily/react";
import { PreviewText } from "@formily/antd-v5";
import { OrganisationCodeInput, OrganisationNameInput, type LookupProps } from "./OrganisationLookup";

// The register's inputs as a form's fields (x-component "OrganisationCode" and "OrganisationName"):
// what the register finds fills the sibling field in (a code's name, a name's code). Loaded with
// the form (FormilyFormView), not with the pages that use the inputs on their own.

/** Sets a sibling of this field (same object or list row), unless it already holds `value`. */
function setSibling(field: Field | undefined, name: string | undefined, value: string) {
  if (!field || !name) return;
  const path = field.path.parent().concat(name);
  if (field.form.getValuesIn(path) !== value) field.form.setValuesIn(path, value);
}

function CodeField({ nameField, ...props }: LookupProps & { nameField?: string }) {
  const field = useField<Field>() as Field | undefined;
  return <OrganisationCodeInput {...props} onFound={(o) => setSibling(field, nameField, o.name)} />;
}

function NameField({ codeField, ...props }: LookupProps & { codeField?: string }) {
  const field = useField<Field>() as Field | undefined;
  return <OrganisationNameInput {...props} onChosen={(o) => setSibling(field, codeField, o.creditCode)} />;
}

export const OrganisationCode = connect(CodeField, mapReadPretty(PreviewText.Input));
export const OrganisationName = connect(NameField, mapReadPretty(PreviewText.Input));
