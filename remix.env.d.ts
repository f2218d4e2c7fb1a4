/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />
declare module "@remix-run/dev/server-build" {
  import type { ServerBuild } from "@remix-run/node";
  export const assets: ServerBuild["assets"];
  export const entry: ServerBuild["entry"];
  export const routes: ServerBuild["routes"];
  export const future: ServerBuild["future"];
  export const publicPath: ServerBuild["publicPath"];
  export const assetsBuildDirectory: ServerBuild["assetsBuildDirectory"];
  export const isSpaMode: ServerBuild["isSpaMode"];
  export const mode: ServerBuild["mode"];
  export const basename: ServerBuild["basename"];
}

declare module "bpmn-moddle" {
  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<{ rootElement: unknown; warnings: { message: string }[] }>;
    toXML(element: unknown, options?: { format?: boolean }): Promise<{ xml: string }>;
  }
}

// bpmnlint's rules and configs are CommonJS files without declarations (app/shared/process-lint.ts).
declare module "bpmnlint/rules/*" {
  const rule: (config?: unknown) => { check(node: never, reporter: never): void };
  export default rule;
}
declare module "bpmnlint/config/recommended.js" {
  const config: { rules: Record<string, string> };
  export default config;
}

// The modeler's packages ship no declarations (app/components/modeler/).
declare module "bpmn-js-properties-panel";
declare module "@bpmn-io/properties-panel";
declare module "bpmn-js-bpmnlint";
declare module "camunda-bpmn-js-behaviors/lib/camunda-platform";
declare module "bpmn-js-differ";

// One icon per file (the icons' index would bring every icon the app draws into every page that
// imports one: docs/decisions/042); the files' declarations are those of the CommonJS build.
declare module "@ant-design/icons/es/icons/*" {
  import type BellOutlined from "@ant-design/icons/lib/icons/BellOutlined";
  const Icon: typeof BellOutlined;
  export default Icon;
}
