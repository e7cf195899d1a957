/**
 * Periods and ISO weeks of the partner scorecards. A period is [from, to) in UTC; a date without a time means
 * the start of that day for `from` and the end of that day for `to` (`?from=2026-01-05&to=2026-01-25` covers the
 * 5th through the 25th). Weeks are ISO 8601 weeks (Monday to Sunday, week 1 holds the year's first Thursday),
 * written `2026-W02`.
 */
import { GatewayError } from '../errors.js';

export interface Period {
  /** Inclusive, ISO-8601 UTC with milliseconds, as stored in the *_at columns. */
  from: string;
  /** Exclusive. */
  to: string;
}

const DAY_MS = 86_400_000;
/** Default length of a period when `from` is not given. */
export const DEFAULT_PERIOD_DAYS = 91;
/** Longest period a scorecard covers (keeps one request bounded). */
export const MAX_PERIOD_DAYS = 3 * 366;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parseTime(v: string, what: string, endOfDay: boolean): number {
  const ms = Date.parse(DATE_ONLY.test(v) ? `${v}T00:00:00.000Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`);
  if (!Number.isFinite(ms)) throw new GatewayError('EDIGATE_INVALID_REQUEST', `${what} "${v}" is not a date (YYYY-MM-DD) or an ISO-8601 time`);
  return DATE_ONLY.test(v) && endOfDay ? ms + DAY_MS : ms;
}

/**
 * The period of `from`/`to` query values (dates or ISO-8601 times; `to` defaults to `now`, `from` to
 * DEFAULT_PERIOD_DAYS before `to`).
 * @throws GatewayError EDIGATE_INVALID_REQUEST when a value is not a time, `from` is not before `to`, or the
 *   period is longer than MAX_PERIOD_DAYS.
 */
export function parsePeriod(q: { from?: string | undefined; to?: string | undefined }, now: Date): Period {
  const to = q.to ? parseTime(q.to, 'to', true) : now.getTime();
  const from = q.from ? parseTime(q.from, 'from', false) : to - DEFAULT_PERIOD_DAYS * DAY_MS;
  if (from >= to) throw new GatewayError('EDIGATE_INVALID_REQUEST', `from (${new Date(from).toISOString()}) must be before to (${new Date(to).toISOString()})`);
  if (to - from > MAX_PERIOD_DAYS * DAY_MS) throw new GatewayError('EDIGATE_INVALID_REQUEST', `a scorecard covers at most ${MAX_PERIOD_DAYS} days`);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** ISO 8601 week of a UTC time or date (`2026-01-05...` -> `2026-W02`): the week of its Thursday, counted in the Thursday's year. */
export function isoWeek(time: string): string {
  const d = new Date(`${time.slice(0, 10)}T00:00:00.000Z`);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
  const thursday = new Date(d.getTime() + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Every ISO week the period touches, in order (the last instant before `to` included). */
export function weeksOf(p: Period): string[] {
  const out: string[] = [];
  const end = Date.parse(p.to) - 1;
  for (let t = Date.parse(p.from); t <= end + DAY_MS; t += DAY_MS) {
    const w = isoWeek(new Date(Math.min(t, end)).toISOString());
    if (out[out.length - 1] !== w) out.push(w);
  }
  return out;
}
