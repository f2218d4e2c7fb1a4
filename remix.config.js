/** @type {import('@remix-run/dev').AppConfig} */
export default {
  // The custom server (express: origin check, static assets, health, scheduler later) is compiled
  // together with the app into build/index.js.
  server: "./app/main.server.ts",
  serverBuildPath: "build/index.js",
  assetsBuildDirectory: "build/client",
  publicPath: "/assets/",
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // The pages import antd one component at a time from its ES modules ("antd/es/button"), so that
  // a page's scripts hold only the components it draws (docs/decisions/042). Node cannot load
  // those modules (extensionless imports in a CommonJS package): the server bundles antd, Formily's
  // components and what their ES modules import, one copy that the style cache shares too. React
  // and dayjs stay outside: one instance each, shared with the platform's own code.
  serverDependenciesToBundle: [
    /^antd(\/|$)/,
    /^@ant-design\//,
    /^rc-/,
    /^@rc-component\//,
    /^@formily\//,
    /^@babel\/runtime\//,
    /^dayjs\/plugin\//,
    /^@emotion\//,
    /^@dnd-kit\//,
    /^@juggle\//,
    /^(camel|lower|param|pascal|upper)-case$/,
    /^(classnames|copy-to-clipboard|hoist-non-react-statics|resize-observer-polyfill|stylis|throttle-debounce)$/,
    /^(scroll-into-view-if-needed|compute-scroll-into-view|json2mq|string-convert|toggle-selection|no-case|tslib|react-is)$/,
  ],
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true },
};
