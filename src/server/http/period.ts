/**
 * The date range of list and indicator queries (`from`, `to`), shared by the outreach, treatment and education
 * routes: dates YYYY-MM-DD between 2000-01-01 and today + 1 year (Cambodia; `boundedDate`, src/core/schemas.ts);
 * default the twelve weeks up to today (never before 2000-01-01); `to` not before `from`; at most five years. With
 * `to` left out it is today, so a `from` alone is checked against today and the error names `from`.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import { addDays, daysBetween, isValidDate, todayInCambodia, type DateRange } from '../../core/dates.js';
import { EARLIEST_DATE, parseHealthPeriod, type Campaign, type Period } from '../../core/periods.js';
import type { Database } from '../db/index.js';
import { badRequest } from './errors.js';
import { isHealthCampaign } from '../../core/campaigns.js';
import { pillarsOf } from '../campaigns/service.js';
import { boundedDate, dateProblem } from '../../core/schemas.js';

export const MAX_RANGE_DAYS = 5 * 366;
export const dateParam = boundedDate;
export const rangeFields = { from: dateParam.optional(), to: dateParam.optional() };

/**
 * The range asked for, with the defaults. Total: Zod runs an object's refinements even when a field already failed,
 * so a `to` that is not a date (already reported on its field) is passed through rather than thrown on.
 */
export function defaultRange(q: { from?: string; to?: string }): DateRange {
  const to = q.to ?? todayInCambodia();
  // a `to` that is not a date, or before the earliest date (year 0000 has no 83 days before it), is reported on its
  // field by the schema: pass it through
  if (q.from !== undefined || !isValidDate(to) || to < EARLIEST_DATE) return { from: q.from ?? to, to };
  const from = addDays(to, -83);
  return { from: from < EARLIEST_DATE ? EARLIEST_DATE : from, to };
}

export function checkRange(v: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  const today = todayInCambodia();
  // a date out of bounds has its own error already
  if ((v.from !== undefined && dateProblem(v.from, today)) || (v.to !== undefined && dateProblem(v.to, today))) return;
  const r = defaultRange(v);
  const at = v.to === undefined && v.from !== undefined ? 'from' : 'to';
  if (r.from > r.to) ctx.addIssue({ code: 'custom', path: [at], message: at === 'from' ? 'must not be in the future' : 'must not be before from' });
  else if (daysBetween(r.from, r.to) > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: [at], message: 'the range must be at most five years' });
}

/**
 * `?period=` (+ `campaignId`) of a request for figures of health data (the national treatment and education views,
 * the outreach aggregates): the fixed, complete period (src/core/periods.ts `parseHealthPeriod`) and its campaign when
 * it is a campaign period. No period: the last complete calendar month. A bad or unfinished period, an unknown
 * campaign or a campaign period without one is a 400 naming the field.
 */
export async function resolveHealthPeriod(db: Database, q: { period?: string; campaignId?: string }): Promise<{ period: Period; campaign?: Campaign }> {
  const today = todayInCambodia();
  let campaign: Campaign | null = null;
  if (q.campaignId) {
    const c = await db
      .selectFrom('campaigns')
      .select(['id', 'pillars', sql<string>`start_date::text`.as('start'), sql<string | null>`end_date::text`.as('end')])
      .where('id', '=', q.campaignId)
      .executeTakeFirst();
    if (!c) throw badRequest('query.campaignId: is not a known campaign', [{ path: 'query.campaignId', message: 'is not a known campaign' }]);
    // Only a campaign with a health pillar has fixed dates (src/core/campaigns.ts): the weeks of a campaign whose
    // dates could be moved over days already published would be a new grid to difference against.
    if (!isHealthCampaign(pillarsOf(c.pillars))) {
      const message = 'is a campaign without a health pillar: its periods are not used for figures of health data';
      throw badRequest(`query.campaignId: ${message}`, [{ path: 'query.campaignId', message }]);
    }
    campaign = { id: c.id, startDate: c.start, endDate: c.end };
  }
  const lastMonth = addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
  const r = parseHealthPeriod(q.period ?? lastMonth, campaign, today);
  if (!r.ok) throw badRequest(`query.${r.path}: ${r.message}`, [{ path: `query.${r.path}`, message: r.message }]);
  return { period: r.period, campaign: r.period.campaignId ? campaign! : undefined };
}
