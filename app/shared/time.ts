import dayjs from "dayjs";
import timezone from "dayjs/plugin/timezone.js";
import utc from "dayjs/plugin/utc.js";
import "dayjs/locale/zh-cn.js";

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.locale("zh-cn");

// Kunming's time, whatever zone the server or the browser runs in.
export const PLATFORM_TIME_ZONE = "Asia/Shanghai";

export function inPlatformZone(value: Date | string | number) {
  return dayjs(value).tz(PLATFORM_TIME_ZONE);
}

export function formatDateTime(value: Date | string | number | null | undefined, format = "YYYY-MM-DD HH:mm"): string {
  return value == null ? "" : inPlatformZone(value).format(format);
}
