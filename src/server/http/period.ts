/**
 * The date range of list and indicator queries (`from`, `to`), shared by the outreach, treatment and education
 * routes: dates YYYY-MM-DD; default the twelve weeks up to today (Cambodia); `to` not before `from`; at most five
 * years. With `to` left out it is today, so a `from` alone is checked against today and the error names `from`.
 */
import { z } from 'zod';
import { addDays, daysBetween, isValidDate, todayInCambodia, type DateRange } from '../../core/dates.js';

export const MAX_RANGE_DAYS = 5 * 366;
export const dateParam = z.string().refine(isValidDate, { message: 'must be a date YYYY-MM-DD' });
export const rangeFields = { from: dateParam.optional(), to: dateParam.optional() };

export function defaultRange(q: { from?: string; to?: string }): DateRange {
  const to = q.to ?? todayInCambodia();
  return { from: q.from ?? addDays(to, -83), to };
}

export function checkRange(v: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  if ((v.from !== undefined && !isValidDate(v.from)) || (v.to !== undefined && !isValidDate(v.to))) return;
  const r = defaultRange(v);
  const at = v.to === undefined && v.from !== undefined ? 'from' : 'to';
  if (r.from > r.to) ctx.addIssue({ code: 'custom', path: [at], message: at === 'from' ? 'must not be in the future' : 'must not be before from' });
  else if (daysBetween(r.from, r.to) > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: [at], message: 'the range must be at most five years' });
}
