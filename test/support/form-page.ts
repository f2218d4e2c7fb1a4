import type { Page } from "playwright-core";

// Filling in and reading a Formily form on a task page, as a user does: by the fields' labels.

/**
 * The control of the form's field labelled `label`: looked for inside the form's items only, so a
 * list's column or a filter with the same words (the 报建号 column of 项目) is never taken for it.
 */
export function formField(page: Page, label: string) {
  return page.locator(".ant-formily-item").getByLabel(label, { exact: true });
}

/** Types a date into the date picker labelled `label` and confirms it. */
export async function date(page: Page, label: string, value: string) {
  const input = formField(page, label);
  await input.click();
  await input.fill(value);
  await input.press("Enter");
}

/** Types each value into the field labelled with its key. */
export async function fill(page: Page, fields: Record<string, string | number>) {
  for (const [label, value] of Object.entries(fields)) await formField(page, label).fill(String(value));
}

/** The error text Formily shows under the field labelled `label`. */
export function fieldError(page: Page, label: string) {
  return page
    .locator(".ant-formily-item")
    .filter({ has: page.getByLabel(label, { exact: true }) })
    .locator(".ant-formily-item-error-help, .ant-formily-item-feedback-error")
    .first();
}

/** The count of characters (“12 / 100”) a text field labelled `label` shows beside its text. */
export function textCount(page: Page, label: string) {
  return page
    .locator(".ant-formily-item, .ant-form-item")
    .filter({ has: page.getByLabel(label, { exact: true }) })
    .locator(".ant-input-show-count-suffix, .ant-input-data-count")
    .first();
}

export const submit = (page: Page) => page.getByRole("button", { name: "提交", exact: true }).click();

/** Counts the submissions a page sends for its task (uploads aside). */
export function countSubmissions(page: Page) {
  const sent = { count: 0 };
  page.on("request", (r) => {
    // Submissions of the task, not the draft saved as the user types.
    const path = new URL(r.url()).pathname;
    if (r.method() === "POST" && path.startsWith("/tasks/") && !path.endsWith("/draft")) sent.count++;
  });
  return sent;
}

const TINY_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/** A real (tiny) PNG image named `name`, as a photo from the camera arrives in a file field. */
export const pngFile = (name: string) => ({ name, mimeType: "image/png", buffer: Buffer.from(TINY_PNG, "base64") });

/**
 * Uploads `file` through the file field labelled `label` and waits until it is listed as uploaded.
 * Where several fields share the label (a photo per row of a list), the last one: the newest row.
 */
export async function attach(page: Page, label: string, file: { name: string; mimeType: string; buffer: Buffer }) {
  const button = page.getByRole("button", { name: label, exact: true });
  const field = page.locator(".ant-formily-item").filter({ has: button }).last();
  await field.locator(".ant-upload-wrapper").filter({ has: button }).locator("input[type=file]").setInputFiles(file);
  // An image field lists a thumbnail and the name, both linking to the file.
  await field.getByRole("link", { name: file.name }).first().waitFor();
}
