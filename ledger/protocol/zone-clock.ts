// The store's clock: which local day and hour a moment is in the store's time zone (IANA, as the
// ledger records it at creation), and where a local day begins and ends. The one "today" of the
// kiosk: the day report's days and hours, the offline limits' "today" for the per-customer-day
// limit, the staff desk's business day and `ledger export`'s open-day entries all ask it. Runs
// anywhere (Intl only, no I/O). A day begins at its first local moment, which is not midnight
// where a DST change falls at 00:00; such a day may have 23 or 25 hours.

/** Local hours are found on a 15-minute grid: every time zone's offset is a multiple of it. */
const GRID_MS = 15 * 60_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface ZoneClock {
  /** The local date of `ms`, YYYY-MM-DD: the store's business day. */
  day(ms: number): string;
  /** The local hour of `ms`, 0..23. */
  hour(ms: number): number;
  /** The local wall time of `ms`, YYYY-MM-DDTHH:MM:SS (the RKSV receipt code's time). */
  localTime(ms: number): string;
  /** The first ms of the local day that `ms` is in ("today began at"). */
  dayStartMs(ms: number): number;
  /** The local day's first ms, its end (the next day's first ms), and each hour's span in it. */
  bounds(day: string): {
    start_ms: number;
    end_ms: number;
    hours: { start_ms: number | null; end_ms: number | null }[];
  };
}

export function zoneClock(timeZone: string): ZoneClock {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const parts = (ms: number): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const p of f.formatToParts(ms)) if (p.type !== 'literal') out[p.type] = Number(p.value);
    return out;
  };
  const day = (ms: number): string => {
    const p = parts(ms);
    return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  };
  /** Local wall time minus UTC at `ms`. */
  const offset = (ms: number): number => {
    const p = parts(ms);
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(ms / 1000) * 1000;
  };
  const start = (d: string): number => {
    const m = DAY_PATTERN.exec(d)!;
    const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    let t = guess - offset(guess - offset(guess));
    // Midnight may not exist (a DST change at 00:00): the day starts at its first local time.
    for (let i = 0; i < 8 && day(t) < d; i++) t += GRID_MS;
    while (day(t - GRID_MS) === d) t -= GRID_MS;
    return t;
  };
  return {
    day,
    hour: (ms) => parts(ms).hour! % 24,
    localTime(ms) {
      const p = parts(ms);
      const two = (n: number | undefined): string => String(n).padStart(2, '0');
      return `${day(ms)}T${two(p.hour! % 24)}:${two(p.minute)}:${two(p.second)}`;
    },
    dayStartMs: (ms) => start(day(ms)),
    bounds(d) {
      const s = start(d);
      const m = DAY_PATTERN.exec(d)!;
      const next = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1)).toISOString().slice(0, 10);
      const e = start(next);
      const hours: { start_ms: number | null; end_ms: number | null }[] = Array.from({ length: 24 }, () => ({
        start_ms: null,
        end_ms: null,
      }));
      for (let t = s; t < e; t += GRID_MS) {
        const h = hours[parts(t).hour! % 24]!;
        h.start_ms ??= t;
        h.end_ms = t + GRID_MS;
      }
      return { start_ms: s, end_ms: e, hours };
    },
  };
}

/** A real calendar date YYYY-MM-DD (2026-02-31 is not). */
export function isCalendarDay(d: string): boolean {
  const m = DAY_PATTERN.exec(d);
  if (!m) return false;
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return t.toISOString().slice(0, 10) === d;
}
