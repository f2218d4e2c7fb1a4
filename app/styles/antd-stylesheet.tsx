import { createCache, extractStyle, StyleProvider } from "@ant-design/cssinjs";
import * as antd from "antd";
import { createForm } from "@formily/core";
import { FormProvider, createSchemaField } from "@formily/react";
import * as formily from "@formily/antd-v5";
import { Fragment, type ComponentType, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { theme } from "~/components/theme";

/**
 * The antd components the staff's pages draw, and only those: antd's own (imported one at a time,
 * `antd/es/…`), those whose markup the light components draw with antd's class names
 * (`components/ui`), and what Formily's form components are made of. A component left out still
 * works: the server writes its styles into the page's head, or antd in the browser writes them
 * (page-styles.server.ts); it is only slower. test/unit/antd-stylesheet.test.ts fails when a
 * page imports or draws one that is not here.
 */
export const STAFF_COMPONENTS = [
  // antd's, imported by the pages
  "AutoComplete",
  "Breadcrumb",
  "Button",
  "Checkbox",
  "Col",
  "Collapse",
  "DatePicker",
  "Drawer",
  "Empty",
  "Form",
  "Image",
  "Input",
  "Modal",
  "Popconfirm",
  "Popover",
  "Radio",
  "Rate",
  "Result",
  "Row",
  "Segmented",
  "Select",
  "Typography",
  "Upload",
  "message",
  // drawn by the light components with antd's class names
  "Alert",
  "Avatar",
  "Badge",
  "Card",
  "Descriptions",
  "Dropdown",
  "Layout",
  "List",
  "Menu",
  "Pagination",
  "Space",
  "Spin",
  "Statistic",
  "Table",
  "Tabs",
  "Tag",
  "Timeline",
  // in Formily's form components (NumberPicker, Switch) and in antd's own (a popconfirm's tip)
  "InputNumber",
  "Switch",
  "Tooltip",
] as const;

const DRAWN = new Set<string>(STAFF_COMPONENTS);

// Components that need props to draw at all, or to draw their parts (a tag's colours, a form's
// items); those that open in a portal closed (their styles are still written).
const DRAWN_WITH: Record<string, (C: ComponentType<Record<string, unknown>>) => ReactNode> = {
  Modal: (C) => <C open={false} />,
  Drawer: (C) => <C open={false} />,
  Tooltip: (C) => (
    <C title="">
      <span />
    </C>
  ),
  Popover: (C) => (
    <C content="">
      <span />
    </C>
  ),
  Popconfirm: (C) => (
    <C title="">
      <span />
    </C>
  ),
  Tag: (C) => (
    <>
      <C color="success" />
      <C color="blue" />
    </>
  ),
  Form: (C) => (
    <C>
      <antd.Form.Item label="" />
    </C>
  ),
  Dropdown: (C) => (
    <C menu={{ items: [] }}>
      <div />
    </C>
  ),
  Menu: (C) => <C items={[]} />,
};

type WithPanel = { _InternalPanelDoNotUseOrYouWillBeFired?: ComponentType<Record<string, unknown>> };

/** Each staff component once, and the panels of those that open in a portal (dialogs, lists, tips). */
function antdComponents(): ReactNode {
  const all = antd as unknown as Record<string, unknown>;
  return Object.keys(all)
    .filter((name) => /^[A-Z]/.test(name) && DRAWN.has(name))
    .map((name) => {
      const C = all[name] as ComponentType<Record<string, unknown>>;
      const draw = DRAWN_WITH[name];
      return <Fragment key={name}>{draw ? draw(C) : <C />}</Fragment>;
    })
    .concat(
      Object.entries(all)
        .filter(([name]) => DRAWN.has(name))
        .filter(([, value]) => (value as WithPanel | undefined)?._InternalPanelDoNotUseOrYouWillBeFired)
        .map(([name, value]) => {
          const Panel = (value as WithPanel)._InternalPanelDoNotUseOrYouWillBeFired!;
          return <Panel key={`${name}-panel`} />;
        }),
    );
}

/** The Formily components a form may use (FORM_COMPONENTS), laid out as a form lays them out. */
function formilyComponents(): ReactNode {
  const SchemaField = createSchemaField({ components: formily as unknown as Record<string, ComponentType> });
  const schema = {
    type: "object",
    properties: {
      layout: {
        type: "void",
        "x-component": "FormLayout",
        properties: {
          grid: {
            type: "void",
            "x-component": "FormGrid",
            properties: {
              text: { type: "string", title: "文本", "x-decorator": "FormItem", "x-component": "Input", required: true },
              shown: { type: "string", title: "文本", "x-decorator": "FormItem", "x-component": "Input", "x-pattern": "readPretty" },
              amount: { type: "number", "x-decorator": "FormItem", "x-component": "NumberPicker" },
              day: { type: "string", "x-decorator": "FormItem", "x-component": "DatePicker" },
              choice: { type: "string", "x-decorator": "FormItem", "x-component": "Select", enum: [{ label: "甲", value: "a" }] },
              radio: { type: "string", "x-decorator": "FormItem", "x-component": "Radio.Group", enum: ["a"] },
              checks: { type: "array", "x-decorator": "FormItem", "x-component": "Checkbox.Group", enum: ["a"] },
              on: { type: "boolean", "x-decorator": "FormItem", "x-component": "Switch" },
              row: { type: "void", "x-component": "Space" },
            },
          },
          list: {
            type: "array",
            "x-decorator": "FormItem",
            "x-component": "ArrayItems",
            default: [{}],
            items: {
              type: "object",
              properties: {
                line: {
                  type: "void",
                  "x-component": "Space",
                  properties: {
                    sort: { type: "void", "x-component": "ArrayItems.SortHandle" },
                    index: { type: "void", "x-component": "ArrayItems.Index" },
                    remove: { type: "void", "x-component": "ArrayItems.Remove" },
                  },
                },
              },
            },
            properties: { add: { type: "void", title: "添加", "x-component": "ArrayItems.Addition" } },
          },
          buttons: { type: "void", "x-component": "FormButtonGroup" },
        },
      },
    },
  };
  return (
    <FormProvider form={createForm()}>
      <SchemaField schema={schema} />
    </FormProvider>
  );
}

// A few of @formily/antd-v5's rules carry a selector with two dots (".a..b"): browsers drop such a
// rule whole, and the build's CSS minifier warns about each. They are left out, as browsers did.
const RULE_WITH_BROKEN_SELECTOR = /(?<=^|[{}])[^{}]*\.\.[a-z][^{}]*\{[^{}]*\}/g;

/**
 * The platform's whole antd stylesheet, as one CSS text: every antd component and every Formily
 * component of a form, drawn once under the platform's theme, with the map by which antd in the
 * browser knows these styles are already there (and does not write them into the page again).
 */
export function antdStylesheet(): string {
  const cache = createCache();
  renderToString(
    <StyleProvider cache={cache}>
      <antd.ConfigProvider theme={theme}>
        {antdComponents()}
        {formilyComponents()}
      </antd.ConfigProvider>
    </StyleProvider>,
  );
  return extractStyle(underTheme(cache), true).replace(RULE_WITH_BROKEN_SELECTOR, "");
}

type StyleCache = ReturnType<typeof createCache>;

/** The token hash antd's style keys ("style%<hash>%Component…") carry under the platform's theme. */
function themeHash(): string {
  const probe = createCache();
  renderToString(
    <StyleProvider cache={probe}>
      <antd.ConfigProvider theme={theme}>
        <antd.Empty />
      </antd.ConfigProvider>
    </StyleProvider>,
  );
  const key = [...probe.cache.keys()].find((k) => k.includes("%Empty-"));
  return key!.split("%")[1];
}

/**
 * Only the styles drawn under the platform's theme. antd draws a popup's panel under a theme of its
 * own (no motion, another z-index): the same component's styles again, under a hash no page uses.
 * The icons' styles carry a hash of their own, and are kept.
 */
function underTheme(cache: StyleCache): StyleCache {
  const hash = themeHash();
  const kept = createCache();
  for (const [key, value] of cache.cache.entries()) {
    const [kind, keyHash] = key.split("%");
    if (kind !== "style" || keyHash === hash || key.includes("%ant-design-icons%")) kept.cache.set(key, value);
  }
  return kept;
}
