// 流程运维 (docs/decisions/037): what the administrators' dialogs and the runtime's checks share.

/** The longest reason an administrator may give for an action on a running flow. */
export const OPERATE_REASON_MAX = 500;
