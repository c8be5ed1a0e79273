/**
 * Calendar dates as 'YYYY-MM-DD' strings (local dates in Cambodia, UTC+7), and campaign time:
 * day N (the start date is day 1), week N (7-day blocks from the start), campaign to date, any date range.
 */
const DAY_MS = 86_400_000;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MIN_MS = Date.parse('0000-01-01T00:00:00Z');
const MAX_MS = Date.parse('9999-12-31T00:00:00Z');

export function isValidDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * The date n days after (or before) a date. Throws a RangeError rather than return anything but YYYY-MM-DD: past year
 * 9999 `toISOString` writes '+010000-…', which sorts before '9999-…' and would make a loop over dates endless.
 */
export function addDays(date: string, n: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + n * DAY_MS;
  if (!Number.isFinite(t) || t < MIN_MS || t > MAX_MS) throw new RangeError(`addDays(${JSON.stringify(date)}, ${n}): outside the years 0000–9999`);
  return new Date(t).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Today's date in Cambodia (UTC+7). */
export function todayInCambodia(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

export interface DateRange {
  from: string; // inclusive
  to: string; // inclusive
}

export interface CampaignDates {
  startDate: string;
  endDate: string | null;
}

export type PeriodSpec =
  | { kind: 'day'; n: number }
  | { kind: 'week'; n: number }
  | { kind: 'days'; from: number; to: number }
  | { kind: 'to_date' }
  | { kind: 'range'; from: string; to: string };

/** The date range a campaign period covers; campaign-to-date ends today or at the campaign's end. */
export function periodRange(c: CampaignDates, p: PeriodSpec, today: string = todayInCambodia()): DateRange {
  switch (p.kind) {
    case 'day':
      return { from: addDays(c.startDate, p.n - 1), to: addDays(c.startDate, p.n - 1) };
    case 'week':
      return { from: addDays(c.startDate, (p.n - 1) * 7), to: addDays(c.startDate, p.n * 7 - 1) };
    case 'days':
      return { from: addDays(c.startDate, p.from - 1), to: addDays(c.startDate, p.to - 1) };
    case 'to_date': {
      const end = c.endDate && c.endDate < today ? c.endDate : today;
      return { from: c.startDate, to: end < c.startDate ? c.startDate : end };
    }
    case 'range':
      return { from: p.from, to: p.to };
  }
}

/** Campaign day number of a date (1 = the start date; 0 or less = before the campaign). */
export function campaignDay(c: CampaignDates, date: string): number {
  return daysBetween(c.startDate, date) + 1;
}

export function campaignWeek(c: CampaignDates, date: string): number {
  return Math.floor((campaignDay(c, date) - 1) / 7) + 1;
}

/** Every date of a range, in order. */
export function eachDay(r: DateRange): string[] {
  const out: string[] = [];
  for (let d = r.from; d <= r.to; d = addDays(d, 1)) out.push(d);
  return out;
}
