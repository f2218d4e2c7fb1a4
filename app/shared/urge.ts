import { formatDateTime, formatRetryTime } from "./time";

// 催办说明: what the urging party says to the urged one, read in its notice and on the task and
// event pages. Optional; the same limit in the browser and on the server.

export const URGE_MESSAGE_MAX = 200;
export const URGE_MESSAGE_TOO_LONG = `催办说明不能超过${URGE_MESSAGE_MAX}个字`;

// One urge per task and urging organisation in this window: each urge notifies everyone who may do
// the task, and thirty of them buried the organisation's real notices. The server refuses a repeat;
// the page says so before anyone tries.
export const URGE_INTERVAL_MS = 30 * 60_000;

/** Whether an urge made at `at` still holds back the next one, at `now`. */
export const urgeStillHolds = (at: Date, now: Date): boolean => now.getTime() - at.getTime() < URGE_INTERVAL_MS;

/** What a repeat within the window is told, by the server and in the dialog before it is sent. */
export const repeatedUrgeMessage = (at: Date, by?: string): string =>
  `本单位已于 ${formatDateTime(at, "HH:mm")} 催办过该任务${by ? `（${by}）` : ""}，同一单位${URGE_INTERVAL_MS / 60_000}分钟内只催办一次，` +
  `请于 ${formatRetryTime(new Date(at.getTime() + URGE_INTERVAL_MS))} 后再催办`;
