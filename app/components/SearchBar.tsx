import { Alert } from "~/components/ui/Alert";
import Button from "antd/es/button";
import Form from "antd/es/form";
import type { FormItemProps } from "antd";
import { createContext, useContext, type ReactNode } from "react";
import { useListParams } from "./useListParams";

/**
 * The server's refusals of the URL's query, by key (a list page answered 422), and the keys whose
 * field the bar renders, each added as its field renders (the alert after them says the rest).
 */
const Refusals = createContext<{ refused: Record<string, string>; shown: Set<string> } | null>(null);

/** What a filter's Form.Item carries when the server refused its value: the message under the field. */
export function useRefusal(name: string): Pick<FormItemProps, "validateStatus" | "help"> {
  const refusals = useContext(Refusals);
  if (!refusals) return {};
  refusals.shown.add(name);
  const help = Object.hasOwn(refusals.refused, name) ? refusals.refused[name] : undefined;
  return help ? { validateStatus: "error", help } : {};
}

/** The refusals no rendered field showed: rendered after the fields (so it knows them), drawn above them. */
function RefusedElsewhere() {
  const refusals = useContext(Refusals);
  const elsewhere = refusals ? Object.entries(refusals.refused).filter(([key]) => !refusals.shown.has(key)) : [];
  return elsewhere.length ? (
    <div style={{ order: -1 }}>
      <RefusedQuery refusals={elsewhere} />
    </div>
  ) : null;
}

/** A search bar's Form.Item whose value the server may refuse: its message shows under the field. */
export function FilterItem({ name, ...props }: FormItemProps & { name: string }) {
  return <Form.Item name={name} {...props} {...useRefusal(name)} />;
}

/**
 * What the server refused of the URL's query that no field of the page shows (an unknown or
 * repeated key), in an alert above the filters; nothing when there is nothing.
 */
export function RefusedQuery({ refusals, message = "查询条件有误，未显示结果" }: { refusals: [string, string][]; message?: string }) {
  if (!refusals.length) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      message={message}
      description={refusals.map(([key, text]) => (
        <div key={key}>{text}</div>
      ))}
    />
  );
}

/**
 * The filter row above a list: its fields start from the URL and searching writes them back.
 * `fields`: the keys the bar keeps (hidden ones too). `refused`: what the server refused of the
 * URL's query, each under its field where one is rendered (FilterItem, FilterSelect); every other
 * key (unknown, repeated, hidden, a field not shown to this user) in an alert above the bar.
 */
export function SearchBar({ fields, refused = {}, children }: { fields: string[]; refused?: Record<string, string>; children: ReactNode }) {
  const list = useListParams();
  // A new set each render: the fields rendered now add their keys before the alert reads them.
  const refusals = { refused, shown: new Set<string>() };
  return (
    <Refusals.Provider value={refusals}>
      <div style={{ display: "flex", flexDirection: "column" }}>
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
        <RefusedElsewhere />
      </div>
    </Refusals.Provider>
  );
}
