// What a task's draft needs of Formily to follow a form's values (useDraft), loaded with the form
// rather than with the page (components/FormilyForm).
export { onFormValuesChange } from "@formily/core";
export { toJS } from "@formily/reactive";
