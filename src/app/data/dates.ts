/** Dates as Chinese readers expect them, in the reader's own time zone. */

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/** Local calendar day, e.g. `2023-07-31`: equal keys mean the same day heading. */
export function dayKey(time: number): string {
  const d = new Date(time);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/** `2023年7月31日 星期一` */
export function fullDate(time: number): string {
  const d = new Date(time);
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${WEEKDAYS[d.getDay()]}`;
}

/** `今天`, `昨天`, or the full date. */
export function dayLabel(time: number, now: number = Date.now()): string {
  const key = dayKey(time);
  if (key === dayKey(now)) return '今天';
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (key === dayKey(yesterday.getTime())) return '昨天';
  return fullDate(time);
}

/** `14:38` */
export function clockTime(time: number): string {
  const d = new Date(time);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** `2023年7月31日 星期一 14:38` */
export function dateTime(time: number): string {
  return `${fullDate(time)} ${clockTime(time)}`;
}

/** `2023年7月31日` */
export function shortDate(time: number): string {
  const d = new Date(time);
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`;
}
