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
  // arithmetic on day numbers for a valid date and a whole number of days (periods build thousands of dates a
  // request); anything else the way Date does it
  const d = Number.isInteger(n) ? dayNumber(date) : undefined;
  if (d !== undefined) {
    const t = d + n;
    if (t >= MIN_DAY && t <= MAX_DAY) return dateOfDay(t);
  }
  const t = Date.parse(`${date}T00:00:00Z`) + n * DAY_MS;
  if (!Number.isFinite(t) || t < MIN_MS || t > MAX_MS) throw new RangeError(`addDays(${JSON.stringify(date)}, ${n}): outside the years 0000–9999`);
  return new Date(t).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (a !== undefined && b !== undefined) return b - a;
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

// days since 1970-01-01 of a proleptic Gregorian date and back (H. Hinnant's civil-from-days algorithms)
const digits = (s: string, from: number, to: number): number => {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
};
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
/** The day number of a valid YYYY-MM-DD date; undefined for anything else. */
function dayNumber(s: string): number | undefined {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  let y = digits(s, 0, 4);
  const m = digits(s, 5, 7);
  const d = digits(s, 8, 10);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > (m === 2 && isLeap(y) ? 29 : MONTH_DAYS[m - 1])) return undefined;
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
function dateOfDay(z: number): string {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}
const MIN_DAY = dayNumber('0000-01-01')!;
const MAX_DAY = dayNumber('9999-12-31')!;

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
