// Calendar days and months in a time zone, derived from timestamps: a period is the half-open
// range of instants [start, end) whose local date falls in it. Nothing resets on a schedule — a new
// day simply has no spend in its range yet. Days are 23 or 25 hours across DST changes, and a
// month starts at local midnight of its first day, wherever UTC is.

export type PeriodKind = 'day' | 'month';

export interface Period {
  kind: PeriodKind;
  /** `2026-03-08` for a day, `2026-03` for a month. */
  key: string;
  /** First instant of the period (ms since the epoch). */
  start: number;
  /** First instant after it: when the next period begins. */
  end: number;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const MINUTE = 60_000;
// UTC offsets span −12:00 … +14:00; a local midnight is within 15 hours of the same date's UTC midnight.
const SEARCH_MINUTES = 15 * 60;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function dateKey(d: LocalDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** The calendar of one time zone. Caches the current day and month so a lookup is a comparison. */
export class Calendar {
  private readonly format: Intl.DateTimeFormat;
  private readonly cached = new Map<PeriodKind, Period>();

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', era: 'short' });
  }

  /** The day or month that contains `at`. */
  period(kind: PeriodKind, at: number): Period {
    const hit = this.cached.get(kind);
    if (hit && at >= hit.start && at < hit.end) return hit;
    const local = this.localDate(at);
    const period =
      kind === 'day'
        ? { kind, key: dateKey(local), start: this.startOf(local), end: this.startOf(addDays(local, 1)) }
        : {
            kind,
            key: `${pad(local.year, 4)}-${pad(local.month)}`,
            start: this.startOf({ ...local, day: 1 }),
            end: this.startOf(
              local.month === 12 ? { year: local.year + 1, month: 1, day: 1 } : { ...local, month: local.month + 1, day: 1 },
            ),
          };
    this.cached.set(kind, period);
    return period;
  }

  /** The local calendar date of an instant. */
  localDate(at: number): LocalDate {
    let year = 0;
    let month = 0;
    let day = 0;
    let bc = false;
    for (const part of this.format.formatToParts(at)) {
      if (part.type === 'year') year = Number(part.value);
      else if (part.type === 'month') month = Number(part.value);
      else if (part.type === 'day') day = Number(part.value);
      else if (part.type === 'era') bc = part.value.startsWith('B');
    }
    return { year: bc ? 1 - year : year, month, day };
  }

  /**
   * The first instant whose local date is `date` or later. Found by bisection over whole minutes
   * (every time zone's offset is a whole number of minutes), so it is right even when local
   * midnight does not exist that day (a DST change at midnight).
   */
  private startOf(date: LocalDate): number {
    const target = dateKey(date);
    const utcMidnight = Date.UTC(date.year, date.month - 1, date.day);
    let lo = -SEARCH_MINUTES; // local date still before the target here
    let hi = SEARCH_MINUTES; // and on or after it here
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (dateKey(this.localDate(utcMidnight + mid * MINUTE)) >= target) hi = mid;
      else lo = mid;
    }
    return utcMidnight + hi * MINUTE;
  }
}

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The machine's own time zone, for when the policy names none. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
