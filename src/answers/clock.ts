/**
 * Clock times: "4:30 p.m." = "16:30", "12:00 a.m." = "0:00", "4 pm" = "16:00". A time is
 * h:mm (two-digit minutes, optional :ss) with an optional a.m./p.m. in any spelling
 * (am, a.m., AM, \text{ p.m.}; 12 noon, 12 midnight), or an hour with a.m./p.m. Without a.m./p.m. an hour up to
 * 11 may be either half of the day (1:00 = 13:00); 0:xx is after midnight and 12:xx after noon.
 */

export interface ClockTime {
  /** Seconds after the start of the half day (a.m./p.m.) or of the day (24-hour). */
  seconds: number;
  meridiem: "am" | "pm" | null;
}

const TEXT_COMMAND = /\\(?:text|textrm|textnormal|mbox|mathrm|rm|textup|mathit|textit)\b/g;
const TIME = /^(\d{1,2})(?::(\d{2})(?::(\d{2}))?)?(?:([ap])\.?m\.?|(noon|midnight))?$/;

/** The clock time an answer states, or null when it is not one. */
export function clockTime(s: string): ClockTime | null {
  if (s.length > 60 || !(s.includes(":") || ((s.includes("m") || s.includes("M") || s.includes("noon")) && /[ap]\.?m|noon|midnight/i.test(s)))) return null;
  const t = s
    .replace(TEXT_COMMAND, "")
    .replace(/\\[,;: !]|[{}~\s]/g, "")
    .toLowerCase();
  const m = TIME.exec(t);
  if (!m) return null;
  // "12 noon" is 12 p.m., "12 midnight" 12 a.m. (and only 12 may say so)
  if (m[5] !== undefined && Number(m[1]) !== 12) return null;
  const meridiem = m[4] === "a" || m[5] === "midnight" ? "am" : m[4] === "p" || m[5] === "noon" ? "pm" : null;
  // a bare hour ("4") is a time only with a.m./p.m.
  if (m[2] === undefined && meridiem === null) return null;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  const sec = m[3] === undefined ? 0 : Number(m[3]);
  if (min > 59 || sec > 59) return null;
  if (meridiem !== null ? h < 1 || h > 12 : h > 24) return null;
  const hour = meridiem !== null ? h % 12 : h;
  return { seconds: hour * 3600 + min * 60 + sec, meridiem };
}

/** A bare hour ("10") read as a time, for comparing against a stated time ("10 a.m." = 10). */
export function bareHour(s: string): ClockTime | null {
  if (s.length > 2 || !/^\d{1,2}$/.test(s)) return null;
  const h = Number(s);
  return h <= 24 ? { seconds: h * 3600, meridiem: null } : null;
}

const HALF_DAY = 12 * 3600;

/** The seconds after midnight a time may stand for (two for an hour before noon without a.m./p.m.). */
function readings(t: ClockTime): number[] {
  if (t.meridiem === "am") return [t.seconds];
  if (t.meridiem === "pm") return [t.seconds + HALF_DAY];
  // 0:xx and 12:00 to 24:00 are 24-hour readings; 1:00 to 11:59 may be either half
  if (t.seconds >= HALF_DAY || t.seconds < 3600) return [t.seconds % (2 * HALF_DAY)];
  return [t.seconds, t.seconds + HALF_DAY];
}

export function sameTime(a: ClockTime, b: ClockTime): boolean {
  const B = readings(b);
  return readings(a).some((x) => B.includes(x));
}
