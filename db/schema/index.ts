export * from "./roles";
export * from "./organisations";
export * from "./users";
export * from "./audit";
export * from "./workflow";
export * from "./notifications";
export * from "./api-keys";
export * from "./forms";
