// 催办说明: what the urging party says to the urged one, read in its notice and on the task and
// event pages. Optional; the same limit in the browser and on the server.

export const URGE_MESSAGE_MAX = 200;
export const URGE_MESSAGE_TOO_LONG = `催办说明不能超过${URGE_MESSAGE_MAX}个字`;
