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
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true },
};
