import { Button, Form } from "antd";
import type { ReactNode } from "react";
import { useListParams } from "./useListParams";

/** The filter row above a list: its fields start from the URL and searching writes them back. */
export function SearchBar({ fields, children }: { fields: string[]; children: ReactNode }) {
  const list = useListParams();
  return (
    <Form
      // Drawn again when the URL changes other than by this form (a chart's district, a link), so
      // the fields always show the filters the page is showing.
      key={fields.map((f) => list.get(f) ?? "").join("\u0001")}
      layout="inline"
      style={{ marginBottom: 16 }}
      initialValues={Object.fromEntries(fields.map((f) => [f, list.get(f)]))}
      onFinish={list.search}
    >
      {children}
      <Button htmlType="submit" type="primary">
        查询
      </Button>
    </Form>
  );
}
