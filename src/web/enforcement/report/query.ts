/**
 * The report's choices ⇄ the URL query ⇄ the API query. The URL carries exactly the API's query
 * (campaignId, period=week:N|day:N|days:A-B|to_date, from, to, province, district), so a shared link and the
 * CSV downloads ask the server the same question as the page. Pure: no DOM, no React.
 */
import { addDays, campaignDay, isValidDate, type CampaignDates } from '../../../core/dates';

export type PeriodKind = 'week' | 'day' | 'days' | 'to_date' | 'range';
export const PERIOD_KINDS: readonly PeriodKind[] = ['week', 'day', 'days', 'to_date', 'range'];

export interface CampaignLike extends CampaignDates {
  id: string;
}

/** Everything the controls show; the fields of the other period kinds keep their last value. */
export interface ReportSelection {
  campaignId: string | null;
  kind: PeriodKind;
  week: number;
  day: number;
  fromDay: number;
  toDay: number;
  from: string;
  to: string;
  province: string | null;
  district: string | null;
}

/** What a URL says (anything malformed is dropped, and a default takes its place). */
export interface UrlQuery {
  campaignId?: string;
  period?: string;
  from?: string;
  to?: string;
  province?: string;
  district?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PERIOD = /^(day:[1-9]\d{0,3}|week:[1-9]\d{0,2}|days:[1-9]\d{0,3}-[1-9]\d{0,3}|to_date)$/;
const PROVINCE = /^KH-([1-9]|1\d|2[0-5])$/;
const DISTRICT = /^\d{4}$/;

export function readUrl(search: string): UrlQuery {
  const p = new URLSearchParams(search);
  const out: UrlQuery = {};
  const campaignId = p.get('campaignId');
  if (campaignId && UUID.test(campaignId)) out.campaignId = campaignId;
  const period = p.get('period');
  if (period && PERIOD.test(period)) out.period = period;
  const from = p.get('from');
  const to = p.get('to');
  if (from && isValidDate(from)) out.from = from;
  if (to && isValidDate(to)) out.to = to;
  const province = p.get('province');
  if (province && PROVINCE.test(province)) out.province = province;
  const district = p.get('district');
  if (out.province && district && DISTRICT.test(district) && Number(district.slice(0, 2)) === Number(out.province.slice(3))) out.district = district;
  return out;
}

/** Campaign days that have begun by `today` (0 before the start; stops at the end date). */
export function daysSoFar(c: CampaignDates, today: string): number {
  const last = c.endDate && c.endDate < today ? c.endDate : today;
  return Math.max(0, campaignDay(c, last));
}

/** Weeks that have begun (≥ 1, so that a campaign that starts tomorrow still offers week 1). */
export function weeksSoFar(c: CampaignDates, today: string): number {
  return Math.max(1, Math.ceil(daysSoFar(c, today) / 7));
}

/** The last complete week (all 7 days past, or the campaign ended), else week 1. */
export function lastCompleteWeek(c: CampaignDates, today: string): number {
  const ended = c.endDate !== null && c.endDate < today;
  const complete = ended ? daysSoFar(c, today) : Math.max(0, campaignDay(c, today) - 1);
  return Math.max(1, Math.floor(complete / 7));
}

/** The most recent campaign: the latest start that has begun; else the soonest to begin. */
export function defaultCampaign<C extends CampaignLike>(campaigns: readonly C[], today: string): C | null {
  const started = campaigns.filter((c) => c.startDate <= today).sort((a, b) => b.startDate.localeCompare(a.startDate));
  if (started.length) return started[0];
  return [...campaigns].sort((a, b) => a.startDate.localeCompare(b.startDate))[0] ?? null;
}

/** Defaults for a campaign (or for no campaign: the last seven days). */
export function defaultsFor(c: CampaignDates | null, today: string): Omit<ReportSelection, 'campaignId' | 'province' | 'district' | 'kind'> {
  if (!c) return { week: 1, day: 1, fromDay: 1, toDay: 7, from: addDays(today, -6), to: today };
  const week = lastCompleteWeek(c, today);
  const days = Math.max(1, daysSoFar(c, today));
  const lastDay = c.endDate && c.endDate < today ? c.endDate : today < c.startDate ? c.startDate : today;
  return {
    week,
    day: Math.max(1, Math.min(days, campaignDay(c, today) - 1 || 1)),
    fromDay: (week - 1) * 7 + 1,
    toDay: week * 7,
    from: c.startDate,
    to: lastDay,
  };
}

/** The URL's question with every gap filled in. */
export function resolveSelection(url: UrlQuery, campaigns: readonly CampaignLike[], today: string): ReportSelection {
  const byId = url.campaignId ? (campaigns.find((c) => c.id === url.campaignId) ?? null) : null;
  // A link with dates and no campaign asks for a plain date range.
  const datesOnly = !url.campaignId && !url.period && !!url.from && !!url.to;
  const campaign = byId ?? (datesOnly ? null : defaultCampaign(campaigns, today));
  const d = defaultsFor(campaign, today);
  const sel: ReportSelection = { campaignId: campaign?.id ?? null, kind: campaign ? 'week' : 'range', ...d, province: url.province ?? null, district: url.district ?? null };
  if (url.period && campaign) {
    const [kind, arg] = url.period.split(':');
    if (kind === 'week') return { ...sel, kind: 'week', week: Number(arg) };
    if (kind === 'day') return { ...sel, kind: 'day', day: Number(arg) };
    if (kind === 'days') {
      const [a, b] = arg.split('-').map(Number);
      return { ...sel, kind: 'days', fromDay: a, toDay: b };
    }
    return { ...sel, kind: 'to_date' };
  }
  if (url.from && url.to) return { ...sel, kind: 'range', from: url.from, to: url.to };
  return sel;
}

/** The API (and URL) query of a selection; stable order so that equal selections give equal strings. */
export function toQuery(sel: ReportSelection): string {
  const p = new URLSearchParams();
  if (sel.campaignId) p.set('campaignId', sel.campaignId);
  if (sel.kind === 'range' || !sel.campaignId) {
    p.set('from', sel.from);
    p.set('to', sel.to);
  } else if (sel.kind === 'week') p.set('period', `week:${sel.week}`);
  else if (sel.kind === 'day') p.set('period', `day:${sel.day}`);
  else if (sel.kind === 'days') p.set('period', `days:${sel.fromDay}-${sel.toDay}`);
  else p.set('period', 'to_date');
  if (sel.province) {
    p.set('province', sel.province);
    if (sel.district) p.set('district', sel.district);
  }
  return p.toString();
}

/** A problem that keeps the selection from being asked (a catalogue key), or null. */
export function selectionProblem(sel: ReportSelection): string | null {
  if (sel.kind === 'range' || !sel.campaignId) {
    if (!isValidDate(sel.from) || !isValidDate(sel.to)) return 'report.errors.dates';
    if (sel.to < sel.from) return 'report.errors.toBeforeFrom';
  }
  if (sel.campaignId && sel.kind === 'days' && sel.toDay < sel.fromDay) return 'report.errors.toDayBeforeFromDay';
  return null;
}
