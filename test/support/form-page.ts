import type { Page } from "playwright-core";

// Filling in and reading a Formily form on a task page, as a user does: by the fields' labels.

/** Types a date into the date picker labelled `label` and confirms it. */
export async function date(page: Page, label: string, value: string) {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(value);
  await input.press("Enter");
}

/** Types each value into the field labelled with its key. */
export async function fill(page: Page, fields: Record<string, string | number>) {
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(String(value));
}

/** The error text Formily shows under the field labelled `label`. */
export function fieldError(page: Page, label: string) {
  return page
    .locator(".ant-formily-item")
    .filter({ has: page.getByLabel(label, { exact: true }) })
    .locator(".ant-formily-item-error-help, .ant-formily-item-feedback-error")
    .first();
}

export const submit = (page: Page) => page.getByRole("button", { name: "提交", exact: true }).click();
