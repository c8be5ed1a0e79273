/**
 * Fixed dates for health campaigns (no I/O). Health figures (treatment, harm reduction, education) are published per
 * fixed reporting period, and a campaign's weeks and "to date" are such periods. A campaign whose start is in the past,
 * or whose start or end can be moved over days already published, gives new week grids over old data, and two
 * overlapping grids can be differenced down to single days. So a campaign with a health pillar:
 *  1. starts today or later;
 *  2. keeps its start date once it has started (before that, a new start is today or later);
 *  3. lasts whole campaign weeks (when it has an end), is not given an end before today, and keeps its end once ended;
 *  4. overlaps no other health campaign;
 *  5. gaining a health pillar counts as being created (1, 3, 4); once started it cannot lose every health pillar.
 * Enforcement-only campaigns are not concerned. The server calls `campaignRuleProblems` in the write's transaction.
 */
import { addDays, daysBetween } from './dates.js';

export const HEALTH_PILLARS = ['treatment', 'harm_reduction', 'education'] as const;

export const isHealthCampaign = (pillars: readonly string[]): boolean => pillars.some((p) => (HEALTH_PILLARS as readonly string[]).includes(p));

/** A campaign's dates and pillars, as stored (before) or as the write would leave them (after). */
export interface CampaignShape {
  startDate: string;
  endDate: string | null;
  pillars: readonly string[];
}

/** Another health campaign, for the overlap rule. */
export interface OtherHealthCampaign {
  nameEn: string;
  startDate: string;
  endDate: string | null;
}

export interface CampaignRuleProblem {
  path: 'startDate' | 'endDate' | 'pillars';
  message: string;
}

export interface CampaignRuleInput {
  /** The stored campaign (null when creating). */
  before: CampaignShape | null;
  after: CampaignShape;
  /** Today in Cambodia. */
  today: string;
  /** The other health campaigns (not this one); those whose dates do not meet it may be left out. */
  others: readonly OtherHealthCampaign[];
  /** The trusted path (seeds, test fixtures): rules 1–4 are skipped, only losing every health pillar is refused. */
  trusted?: boolean;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const weekday = (d: string) => WEEKDAYS[new Date(`${d}T00:00:00Z`).getUTCDay()];

export const notBeforeTodayMessage = (today: string) => `must be today (${today}) or later for a health campaign`;
export const START_FIXED_MESSAGE = 'cannot change once the campaign has started';
export const END_FIXED_MESSAGE = 'cannot change once the campaign has ended';
export const KEEP_HEALTH_MESSAGE = 'must keep a health pillar (treatment, harm reduction or education) once the campaign has started';

/** A campaign from `start` to `end` is whole campaign weeks (7, 14, 21 … days). */
export const isWholeWeeks = (start: string, end: string): boolean => {
  const n = daysBetween(start, end) + 1;
  return n >= 7 && n % 7 === 0;
};

/** The valid end dates nearest `end` (the whole week before, when it is not before `today`, and the one after). */
export function nearestWholeWeekEnds(start: string, end: string, today: string): string[] {
  const k = Math.floor((daysBetween(start, end) + 1) / 7);
  const out: string[] = [];
  if (k >= 1) {
    const lower = addDays(start, 7 * k - 1);
    if (lower >= today) out.push(lower);
  }
  out.push(addDays(start, 7 * (k + 1) - 1));
  return out;
}

export function wholeWeeksMessage(start: string, end: string, today: string): string {
  return `must end a whole campaign week (a campaign starting on a ${weekday(start)} ends on a ${weekday(addDays(start, 6))}: ${nearestWholeWeekEnds(start, end, today).join(' or ')})`;
}

export const overlapMessage = (o: OtherHealthCampaign) => `overlaps the health campaign ${o.nameEn} (${o.startDate} – ${o.endDate ?? 'open'})`;

/** [a.start, a.end] and [b.start, b.end] share a day (a null end: open-ended). */
export const datesOverlap = (a: { startDate: string; endDate: string | null }, b: { startDate: string; endDate: string | null }): boolean =>
  (a.endDate === null || b.startDate <= a.endDate) && (b.endDate === null || a.startDate <= b.endDate);

/** What the fixed-date rules refuse in a campaign write: empty when it may be saved. */
export function campaignRuleProblems({ before, after, today, others, trusted = false }: CampaignRuleInput): CampaignRuleProblem[] {
  const out: CampaignRuleProblem[] = [];
  const healthBefore = before !== null && isHealthCampaign(before.pillars);
  const healthAfter = isHealthCampaign(after.pillars);
  if (healthBefore && !healthAfter) {
    if (before.startDate <= today) out.push({ path: 'pillars', message: KEEP_HEALTH_MESSAGE });
    return out;
  }
  if (!healthAfter || trusted) return out;
  // rule 5: a campaign gaining its first health pillar is checked as a new one
  const stored = healthBefore ? before : null;

  // rules 1 and 2: the start
  let startFixed = false;
  if (!stored) {
    if (after.startDate < today) out.push({ path: 'startDate', message: notBeforeTodayMessage(today) });
  } else if (after.startDate !== stored.startDate) {
    if (stored.startDate <= today) {
      startFixed = true;
      out.push({ path: 'startDate', message: START_FIXED_MESSAGE });
    } else if (after.startDate < today) out.push({ path: 'startDate', message: notBeforeTodayMessage(today) });
  }

  // rule 3: the end
  const datesChanged = !stored || after.startDate !== stored.startDate || after.endDate !== stored.endDate;
  const endChanged = !stored || after.endDate !== stored.endDate;
  if (stored && endChanged && stored.endDate !== null && stored.endDate < today) out.push({ path: 'endDate', message: END_FIXED_MESSAGE });
  else if (endChanged && after.endDate !== null && after.endDate < today) out.push({ path: 'endDate', message: notBeforeTodayMessage(today) });
  else if (datesChanged && !startFixed && after.endDate !== null && !isWholeWeeks(after.startDate, after.endDate))
    out.push({ path: 'endDate', message: wholeWeeksMessage(after.startDate, after.endDate, today) });

  // rule 4: no overlap (named on the start when it falls in the other campaign, else on the end that reaches it)
  if (datesChanged) {
    const hit = [...others].sort((a, b) => a.startDate.localeCompare(b.startDate)).find((o) => datesOverlap(after, o));
    if (hit) out.push({ path: hit.startDate <= after.startDate ? 'startDate' : 'endDate', message: overlapMessage(hit) });
  }
  return out;
}
