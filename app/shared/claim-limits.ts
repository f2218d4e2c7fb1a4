// What owners may write into a claim and its rating, the same in every channel (the chat, the
// owner page, the hotline's form) and on the server: one number each, read by all of them.

export const DESCRIPTION_MAX = 2000;
export const REPORTER_NAME_MAX = 50;
/** Yuan: an owner's own estimate of the repair. */
export const ESTIMATE_MAX = 10_000_000;
export const RATING_COMMENT_MAX = 500;

/** The owner page's button that texts a rating code: the code's answers there send the owner to it by this name. */
export const RATING_CODE_BUTTON = "获取验证码";
