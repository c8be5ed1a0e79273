/**
 * The reporting-period choice of the national pages (PeriodPicker.tsx), without React: a choice is exactly the
 * `?period=` (+ `campaignId`) of src/core/periods.ts `parsePeriod` — campaign 'week:N', 'to_date'; ISO week
 * 'YYYY-Www', month 'YYYY-MM', quarter 'YYYY-Qn', year 'YYYY' — so that a page, its link and its CSV ask the server
 * the same fixed period. Pure: no DOM.
 */
import { addDays, campaignDay, daysBetween, type CampaignDates } from '../../core/dates';
import {
  EARLIEST_DATE,
  campaignToDatePeriod,
  campaignWeekPeriod,
  isoWeekOf,
  isoWeekPeriod,
  monthPeriod,
  parseHealthPeriod,
  periodContaining,
  quarterPeriod,
  type Period,
} from '../../core/periods';

export interface PeriodValue {
  period: string;
  campaignId?: string;
}

export interface CampaignChoice extends CampaignDates {
  id: string;
}

/** No single days nor campaign days: figures of health data are not released for them (src/core/periods.ts dailyProblem). */
export const PICKER_KINDS = ['campaign_week', 'campaign_to_date', 'iso_week', 'month', 'quarter', 'year'] as const;
export type PickerKind = (typeof PICKER_KINDS)[number];
export const CAMPAIGN_KINDS: readonly PickerKind[] = ['campaign_week', 'campaign_to_date'];

/** The query string of a choice ('period=week%3A2&campaignId=…'); the campaign only with a campaign period. */
export function periodQuery(v: PeriodValue): string {
  const p = new URLSearchParams();
  p.set('period', v.period);
  if (v.campaignId && CAMPAIGN_KINDS.includes(kindOf(v.period) as PickerKind)) p.set('campaignId', v.campaignId);
  return p.toString();
}

/** Read a choice from a URL query (the inverse of periodQuery; anything else in the query is ignored). */
export function readPeriodQuery(search: string): PeriodValue {
  const p = new URLSearchParams(search);
  const period = p.get('period') ?? '';
  const campaignId = p.get('campaignId') ?? undefined;
  return campaignId ? { period, campaignId } : { period };
}

/** The kind of a `?period=` spec, or null when it is not one the picker offers. */
export function kindOf(spec: string): PickerKind | null {
  if (/^week:[1-9]\d{0,4}$/.test(spec)) return 'campaign_week';
  if (spec === 'to_date') return 'campaign_to_date';
  if (/^\d{4}-W\d{2}$/.test(spec)) return 'iso_week';
  if (/^\d{4}-\d{2}$/.test(spec)) return 'month';
  if (/^\d{4}-Q[1-4]$/.test(spec)) return 'quarter';
  if (/^\d{4}$/.test(spec)) return 'year';
  return null;
}

/** The period a choice stands for, or null when the server would refuse it. */
export function resolveChoice(v: PeriodValue, campaigns: readonly CampaignChoice[], today: string): Period | null {
  const kind = kindOf(v.period);
  if (!kind) return null;
  const campaign = v.campaignId ? (campaigns.find((c) => c.id === v.campaignId) ?? null) : null;
  if (CAMPAIGN_KINDS.includes(kind) && !campaign) return null;
  // the pages that use the picker show figures of health data: complete periods only
  const r = parseHealthPeriod(v.period, campaign, today);
  return r.ok ? r.period : null;
}

/** Campaign days begun by today (0 before the start; stops at the end date). */
export function campaignDaysSoFar(c: CampaignDates, today: string): number {
  const last = c.endDate && c.endDate < today ? c.endDate : today;
  return Math.max(0, campaignDay(c, last));
}

/** The last complete campaign week (all 7 days past, or within an ended campaign), else week 1. */
export function lastCompleteCampaignWeek(c: CampaignDates, today: string): number {
  const ended = c.endDate !== null && c.endDate < today;
  const complete = ended ? campaignDaysSoFar(c, today) : Math.max(0, campaignDay(c, today) - 1);
  return Math.max(1, Math.floor(complete / 7));
}

/** The campaign a page starts on: the one that began last; null when none has begun. */
export function latestCampaign<C extends CampaignChoice>(campaigns: readonly C[], today: string): C | null {
  return [...campaigns].filter((c) => c.startDate <= today).sort((a, b) => b.startDate.localeCompare(a.startDate))[0] ?? null;
}

/** The default choice: the latest complete week of the latest campaign, else the current month. */
export function defaultChoice(campaigns: readonly CampaignChoice[], today: string): PeriodValue {
  const c = latestCampaign(campaigns, today);
  if (c) return { period: `week:${lastCompleteCampaignWeek(c, today)}`, campaignId: c.id };
  return { period: addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7) }; // the last complete month
}

/** The spec of a period (what `?period=` says). */
const specOf = (p: Period) => p.spec;

/**
 * The choice after the reader picks another kind (or campaign): the period of that kind that holds the end of the
 * current one (never after today), so that moving from a campaign week to its month keeps the reader's place.
 */
export function switchKind(
  v: PeriodValue,
  kind: PickerKind,
  campaigns: readonly CampaignChoice[],
  today: string,
  campaignId?: string,
): PeriodValue {
  const current = resolveChoice(v, campaigns, today);
  const anchor = current ? (current.to < today ? current.to : today) : today;
  if (CAMPAIGN_KINDS.includes(kind)) {
    const c =
      campaigns.find((x) => x.id === (campaignId ?? v.campaignId)) ?? latestCampaign(campaigns, today) ?? campaigns[0] ?? null;
    if (!c) return defaultChoice(campaigns, today);
    if (kind === 'campaign_to_date') return { period: specOf(campaignToDatePeriod(c, today)), campaignId: c.id };
    // a new campaign starts on its latest complete week; the same campaign keeps the reader's date
    const sameCampaign = c.id === v.campaignId || !CAMPAIGN_KINDS.includes(kindOf(v.period) as PickerKind);
    // complete days only (health figures are released once a period is over)
    const ended = c.endDate !== null && c.endDate < today;
    const days = Math.max(1, campaignDaysSoFar(c, today) - (ended ? 0 : 1));
    if (!sameCampaign || anchor < c.startDate) {
      const week = lastCompleteCampaignWeek(c, today);
      return { period: `week:${week}`, campaignId: c.id };
    }
    const day = Math.min(days, daysBetween(c.startDate, anchor) + 1);
    const week = Math.min(Math.floor((day - 1) / 7) + 1, Math.max(1, lastCompleteCampaignWeek(c, today)));
    return { period: specOf(campaignWeekPeriod(c, week)), campaignId: c.id };
  }
  const date = anchor < EARLIEST_DATE ? EARLIEST_DATE : anchor;
  // the period of that kind holding the date, or the last one before it that is over
  let p = periodContaining(kind, date);
  while (p.to >= today && p.from > EARLIEST_DATE) p = periodContaining(kind, addDays(p.from, -1));
  return { period: specOf(p) };
}

// ------------------------------------------------------------------------------------------- the options

/** Years a calendar period can be chosen in: this year back to 2000 (for ISO weeks, this ISO year). */
export function yearOptions(today: string, kind?: PickerKind): number[] {
  const last = kind === 'iso_week' ? isoWeekOf(today).year : Number(today.slice(0, 4));
  const first = Number(EARLIEST_DATE.slice(0, 4));
  return Array.from({ length: last - first + 1 }, (_, i) => last - i);
}

/** ISO weeks of an ISO year that are over by today (figures of health data are released for complete periods). */
export function isoWeekOptions(year: number, today: string): number[] {
  const weeks = isoWeekOf(`${String(year).padStart(4, '0')}-12-28`).week;
  const now = isoWeekOf(today);
  const last = year < now.year ? weeks : year === now.year ? now.week : 0;
  return Array.from({ length: last }, (_, i) => i + 1).filter((w) => isoWeekPeriod(year, w).to < today);
}

/** Months (1–12) of a year that are over by today. */
export function monthOptions(year: number, today: string): number[] {
  const y = Number(today.slice(0, 4));
  const last = year < y ? 12 : year === y ? Number(today.slice(5, 7)) : 0;
  return Array.from({ length: last }, (_, i) => i + 1).filter((m) => monthPeriod(year, m).to < today);
}

/** Quarters of a year that are over by today. */
export function quarterOptions(year: number, today: string): number[] {
  return [1, 2, 3, 4].filter((q) => quarterPeriod(year, q).to < today);
}

/** Campaign weeks that are over (at least 1, and the chosen one). */
export function campaignWeekOptions(c: CampaignDates, today: string, chosen = 1): number[] {
  const n = Math.max(1, lastCompleteCampaignWeek(c, today), chosen);
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** The parts of a calendar spec: year and the number within it (week, month or quarter). */
export function calendarParts(spec: string): { year: number; n: number } {
  const year = Number(spec.slice(0, 4));
  const m = spec.match(/^\d{4}-(?:W|Q)?(\d{1,2})$/);
  return { year, n: m ? Number(m[1]) : 1 };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The spec of a calendar period of a kind, from its year and number. */
export function calendarSpec(kind: 'iso_week' | 'month' | 'quarter' | 'year', year: number, n: number): string {
  if (kind === 'iso_week') return `${pad(year, 4)}-W${pad(n)}`;
  if (kind === 'month') return `${pad(year, 4)}-${pad(n)}`;
  if (kind === 'quarter') return `${pad(year, 4)}-Q${n}`;
  return pad(year, 4);
}

/** The choice after the reader picks another year: the same number where it exists, else the last one offered. */
export function withYear(kind: 'iso_week' | 'month' | 'quarter' | 'year', spec: string, year: number, today: string): string {
  if (kind === 'year') return calendarSpec(kind, year, 1);
  const { n } = calendarParts(spec);
  const options = kind === 'iso_week' ? isoWeekOptions(year, today) : kind === 'month' ? monthOptions(year, today) : quarterOptions(year, today);
  const k = options.includes(n) ? n : (options[options.length - 1] ?? 1);
  return calendarSpec(kind, year, k);
}
