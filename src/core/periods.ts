/**
 * Fixed reporting periods (issue 9). Every aggregate of health data that leaves its organisation is asked for one of
 * these, never for a date range a caller chose, so that the set of figures a reader can obtain is a fixed lattice:
 *
 *  - `day`               a calendar day                         '2026-11-28'
 *  - `iso_week`          an ISO 8601 week (Monday to Sunday)    '2026-W48'
 *  - `month`             a calendar month                       '2026-11'
 *  - `quarter`           a calendar quarter                     '2026-Q4'
 *  - `year`              a calendar year                        '2026'
 *  - `campaign_day`      day N of a campaign (day 1 = start)     'day:3'      (with a campaign)
 *  - `campaign_week`     week N of a campaign (7-day blocks)     'week:2'     (with a campaign)
 *  - `campaign_to_date`  from the start to today or the end     'to_date'    (with a campaign)
 *
 * Nesting: day ⊂ month ⊂ quarter ⊂ year; day ⊂ iso_week; campaign day ⊂ campaign week ⊂ campaign to date.
 * `timeLine()` gives the parts a period is the sum of (its "time line"), which the disclosure control checks
 * together with the period (src/core/disclosure.ts). Dates outside 2000-01-01 … today + 1 year are refused.
 * Days and campaign days are periods of the lattice (the parts of the lines the disclosure control checks, and the
 * enforcement pillar's days), but figures of health data are never released for them (`parseHealthPeriod`).
 * Pure, no I/O.
 */
import { addDays, daysBetween, isValidDate, type CampaignDates, type DateRange } from './dates.js';

export const PERIOD_TYPES = ['day', 'iso_week', 'month', 'quarter', 'year', 'campaign_day', 'campaign_week', 'campaign_to_date'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];
export const CAMPAIGN_PERIOD_TYPES: readonly PeriodType[] = ['campaign_day', 'campaign_week', 'campaign_to_date'];

/** The earliest date any query may name. */
export const EARLIEST_DATE = '2000-01-01';

/** The latest date any query may name: one year after today. */
export function latestDate(today: string): string {
  const [y, m, d] = today.split('-').map(Number);
  const next = `${String(y + 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isValidDate(next) ? next : addDays(next.slice(0, 8) + '28', 1); // 29 February → 1 March
}

/** Why a date is out of bounds, or null. */
export function dateBoundsProblem(date: string, today: string): string | null {
  if (date < EARLIEST_DATE) return `must be ${EARLIEST_DATE} or later`;
  const last = latestDate(today);
  if (date > last) return `must be ${last} or earlier (at most one year from today)`;
  return null;
}

export interface Campaign extends CampaignDates {
  id: string;
}

export interface Period {
  type: PeriodType;
  /** Canonical key, unique across types and campaigns: 'month:2026-11', 'campaign_week:<id>:2'. */
  key: string;
  /** What a caller writes in `?period=` ('2026-11', 'week:2'). */
  spec: string;
  from: string;
  to: string;
  campaignId?: string;
  /** campaign day or week number */
  n?: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Monday of the ISO week of a date. */
export function isoMonday(date: string): string {
  const dow = (((daysBetween('1970-01-04', date) % 7) + 7) % 7); // 0 = Sunday (1970-01-04 was one)
  return addDays(date, -((dow + 6) % 7));
}

/** ISO week-numbering year and week of a date. */
export function isoWeekOf(date: string): { year: number; week: number } {
  const thursday = addDays(isoMonday(date), 3);
  const year = Number(thursday.slice(0, 4));
  const jan4 = `${pad(year, 4)}-01-04`;
  const week = Math.floor(daysBetween(isoMonday(jan4), isoMonday(date)) / 7) + 1;
  return { year, week };
}

function isoWeekStart(year: number, week: number): string {
  return addDays(isoMonday(`${pad(year, 4)}-01-04`), (week - 1) * 7);
}

function lastDayOfMonth(year: number, month: number): string {
  const next = month === 12 ? `${pad(year + 1, 4)}-01-01` : `${pad(year, 4)}-${pad(month + 1)}-01`;
  return addDays(next, -1);
}

function make(type: PeriodType, spec: string, from: string, to: string, extra: Partial<Period> = {}): Period {
  const key = extra.campaignId ? `${type}:${extra.campaignId}${extra.n !== undefined ? `:${extra.n}` : ''}` : `${type}:${spec}`;
  return { type, key, spec, from, to, ...extra };
}

export const dayPeriod = (date: string): Period => make('day', date, date, date);
export function isoWeekPeriod(year: number, week: number): Period {
  const from = isoWeekStart(year, week);
  return make('iso_week', `${pad(year, 4)}-W${pad(week)}`, from, addDays(from, 6));
}
export const monthPeriod = (year: number, month: number): Period =>
  make('month', `${pad(year, 4)}-${pad(month)}`, `${pad(year, 4)}-${pad(month)}-01`, lastDayOfMonth(year, month));
export const quarterPeriod = (year: number, q: number): Period =>
  make('quarter', `${pad(year, 4)}-Q${q}`, `${pad(year, 4)}-${pad(q * 3 - 2)}-01`, lastDayOfMonth(year, q * 3));
export const yearPeriod = (year: number): Period => make('year', pad(year, 4), `${pad(year, 4)}-01-01`, `${pad(year, 4)}-12-31`);

export function campaignDayPeriod(c: Campaign, n: number): Period {
  const d = addDays(c.startDate, n - 1);
  return make('campaign_day', `day:${n}`, d, d, { campaignId: c.id, n });
}
export function campaignWeekPeriod(c: Campaign, n: number): Period {
  const from = addDays(c.startDate, (n - 1) * 7);
  return make('campaign_week', `week:${n}`, from, addDays(from, 6), { campaignId: c.id, n });
}
/**
 * Campaign to date: from the start through the last complete campaign week before today (or through the campaign's
 * end once it has ended). It grows a week at a time, never a day at a time, so that two answers asked on different
 * days differ by a whole released week, never by one day. Before the first week is complete it is week 1.
 */
export function campaignToDatePeriod(c: Campaign, today: string): Period {
  if (c.endDate && c.endDate < today) return make('campaign_to_date', 'to_date', c.startDate, c.endDate, { campaignId: c.id });
  const weeks = Math.max(1, Math.floor(daysBetween(c.startDate, today) / 7));
  return make('campaign_to_date', 'to_date', c.startDate, addDays(c.startDate, weeks * 7 - 1), { campaignId: c.id });
}

/**
 * Health figures leave their organisation for complete periods only: a period that has not ended before today would
 * grow day by day, and two answers on consecutive days would differ by one day's people. Null when complete.
 */
export function incompleteProblem(p: Period, today: string): string | null {
  return p.to < today ? null : `has not ended yet: figures of health data are released once a period is over (after ${p.to})`;
}

/** The period of a type that contains a date (campaign types need the campaign; to_date needs today). */
export function periodContaining(type: PeriodType, date: string, campaign?: Campaign, today?: string): Period {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  switch (type) {
    case 'day':
      return dayPeriod(date);
    case 'iso_week': {
      const w = isoWeekOf(date);
      return isoWeekPeriod(w.year, w.week);
    }
    case 'month':
      return monthPeriod(y, m);
    case 'quarter':
      return quarterPeriod(y, Math.floor((m - 1) / 3) + 1);
    case 'year':
      return yearPeriod(y);
    case 'campaign_day':
    case 'campaign_week':
    case 'campaign_to_date': {
      if (!campaign) throw new Error(`periodContaining: ${type} needs a campaign`);
      const day = daysBetween(campaign.startDate, date) + 1;
      if (type === 'campaign_day') return campaignDayPeriod(campaign, day);
      if (type === 'campaign_week') return campaignWeekPeriod(campaign, Math.floor((day - 1) / 7) + 1);
      return campaignToDatePeriod(campaign, today ?? date);
    }
  }
}

export type ParsedPeriod = { ok: true; period: Period } | { ok: false; path: 'period' | 'campaignId'; message: string };

/**
 * Figures of health data are not released for single days (src/core/disclosure.ts `RELEASED_PERIOD_TYPES`: a reader
 * with every day, week and month could solve a day's small count). Null for a longer period; else what to ask
 * instead.
 */
export function dailyProblem(p: Period): string | null {
  if (p.type === 'day') {
    const w = isoWeekOf(p.from);
    return `is a single day: figures of health data are released for weeks, months, quarters and years (this day is in ${isoWeekPeriod(w.year, w.week).spec} and ${p.from.slice(0, 7)})`;
  }
  if (p.type === 'campaign_day')
    return `is a single campaign day: figures of health data are released for campaign weeks and campaign to date (day:${p.n} is in week:${Math.floor(((p.n ?? 1) - 1) / 7) + 1})`;
  return null;
}

/**
 * `parsePeriod` for a figure of health data: also refuses a single day (`dailyProblem`) and a period that has not
 * ended (`incompleteProblem`).
 */
export function parseHealthPeriod(spec: string, campaign: Campaign | null, today: string): ParsedPeriod {
  const r = parsePeriod(spec, campaign, today);
  if (!r.ok) return r;
  const problem = dailyProblem(r.period) ?? incompleteProblem(r.period, today);
  return problem ? { ok: false, path: 'period', message: problem } : r;
}

export const PERIOD_SPEC_MESSAGE = 'must be a period: YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY-Qn, YYYY, or with a campaign day:N, week:N, to_date';

/**
 * Read `?period=` (and the campaign it needs, if any). A period that reaches outside 2000-01-01 … today + 1 year, or
 * a campaign day or week before the campaign's start, is refused with the field to name.
 */
export function parsePeriod(spec: string, campaign: Campaign | null, today: string): ParsedPeriod {
  let p: Period | null = null;
  let m: RegExpMatchArray | null;
  // A calendar period of a year far outside the bounds is refused before it is built (its ISO week could start in
  // the year before 0000, which no date string can hold).
  const year = /^\d{4}(-|$)/.test(spec) ? Number(spec.slice(0, 4)) : null;
  if (year !== null && (year < Number(EARLIEST_DATE.slice(0, 4)) - 1 || year > Number(latestDate(today).slice(0, 4)) + 1)) {
    const problem = dateBoundsProblem(`${spec.slice(0, 4)}-01-01`, today) ?? '';
    return { ok: false, path: 'period', message: `covers the year ${spec.slice(0, 4)}, and every date ${problem}` };
  }
  if ((m = spec.match(/^(\d{4})-(\d{2})-(\d{2})$/))) {
    if (isValidDate(spec)) p = dayPeriod(spec);
  } else if ((m = spec.match(/^(\d{4})-W(\d{2})$/))) {
    const [y, w] = [Number(m[1]), Number(m[2])];
    // week 53 exists only in long years: the week of 28 December is the year's last
    if (w >= 1 && w <= isoWeekOf(`${m[1]}-12-28`).week) p = isoWeekPeriod(y, w);
  } else if ((m = spec.match(/^(\d{4})-(\d{2})$/))) {
    const mo = Number(m[2]);
    if (mo >= 1 && mo <= 12) p = monthPeriod(Number(m[1]), mo);
  } else if ((m = spec.match(/^(\d{4})-Q([1-4])$/))) {
    p = quarterPeriod(Number(m[1]), Number(m[2]));
  } else if ((m = spec.match(/^(\d{4})$/))) {
    p = yearPeriod(Number(m[1]));
  } else if ((m = spec.match(/^(day|week):([1-9]\d{0,4})$/)) || spec === 'to_date') {
    if (!campaign) return { ok: false, path: 'campaignId', message: 'is required with a campaign period' };
    if (spec === 'to_date') p = campaignToDatePeriod(campaign, today);
    else {
      const n = Number(m![2]);
      p = m![1] === 'day' ? campaignDayPeriod(campaign, n) : campaignWeekPeriod(campaign, n);
    }
  }
  if (!p) return { ok: false, path: 'period', message: PERIOD_SPEC_MESSAGE };
  const problem = dateBoundsProblem(p.from, today) ?? dateBoundsProblem(p.to, today);
  if (problem) return { ok: false, path: 'period', message: `covers ${p.from} to ${p.to}, and every date ${problem}` };
  return { ok: true, period: p };
}

/** The calendar month, quarter or year whose dates are exactly `from`–`to`, if there is one. */
function calendarPeriodOf(from: string, to: string): Period | null {
  if (from.slice(8) !== '01') return null;
  const y = Number(from.slice(0, 4));
  const m = Number(from.slice(5, 7));
  const candidates = [monthPeriod(y, m), ...((m - 1) % 3 === 0 ? [quarterPeriod(y, (m + 2) / 3)] : []), ...(m === 1 ? [yearPeriod(y)] : [])];
  return candidates.find((c) => c.to === to) ?? null;
}

/**
 * The parts a period is the sum of, for measures that add up over time (admissions, new clients, people reached):
 * year → quarters, quarter → months, month / ISO week / campaign week → days, campaign to date → its campaign
 * weeks (and, for a campaign that ended mid-week, the days after the last whole week); a day has none. The parts cover the period exactly, without overlap.
 *
 * The line depends on the dates, not on how the period was asked for: a campaign period whose dates are exactly a
 * calendar month, quarter or year has that period's line, and campaign to date after its first week has the week's
 * days. The disclosure control decides a figure from its lines, so the same people over the same dates must meet
 * the same lines, or one reading could be "*" and the other "<5" (issue 9: campaign week 1 and "to date" after
 * week 1).
 */
export function timeLine(p: Period, campaign?: Campaign): Period[] {
  const y = Number(p.from.slice(0, 4));
  if (p.type === 'campaign_week' || p.type === 'campaign_to_date') {
    const cal = calendarPeriodOf(p.from, p.to);
    if (cal) return timeLine(cal);
    if (p.type === 'campaign_to_date' && campaign && daysBetween(p.from, p.to) === 6) return timeLine(campaignWeekPeriod(campaign, 1), campaign);
  }
  switch (p.type) {
    case 'day':
    case 'campaign_day':
      return [];
    case 'year':
      return [1, 2, 3, 4].map((q) => quarterPeriod(y, q));
    case 'quarter': {
      const first = Number(p.from.slice(5, 7));
      return [0, 1, 2].map((k) => monthPeriod(y, first + k));
    }
    case 'month':
    case 'iso_week':
      return eachDate(p).map(dayPeriod);
    case 'campaign_week': {
      if (!campaign) throw new Error('timeLine: a campaign week needs its campaign');
      const first = daysBetween(campaign.startDate, p.from) + 1;
      return eachDate(p).map((_, k) => campaignDayPeriod(campaign, first + k));
    }
    case 'campaign_to_date': {
      if (!campaign) throw new Error('timeLine: campaign to date needs its campaign');
      const days = daysBetween(p.from, p.to) + 1;
      const weeks = Math.floor(days / 7);
      const out: Period[] = [];
      for (let w = 1; w <= weeks; w++) out.push(campaignWeekPeriod(campaign, w));
      for (let d = weeks * 7 + 1; d <= days; d++) out.push(campaignDayPeriod(campaign, d));
      return out;
    }
  }
}

/**
 * The series a page draws for a period of health data: its time line when every part is a released period (a year's
 * quarters, a quarter's months, campaign to date's weeks), else the period alone (a month, an ISO week or a campaign
 * week, whose parts are days). Every part is a released period, and the period is exactly their sum.
 */
export function releasedSeries(p: Period, campaign?: Campaign): Period[] {
  const parts = timeLine(p, campaign);
  return parts.length && parts.every((q) => q.type !== 'day' && q.type !== 'campaign_day') ? parts : [p];
}

/** Every date of a period, in order (a period is at most a year: 366 dates). */
export function eachDate(r: DateRange): string[] {
  const out: string[] = [];
  for (let d = r.from; d <= r.to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The dates a period covers. */
export function periodRange(p: Period): DateRange {
  return { from: p.from, to: p.to };
}
