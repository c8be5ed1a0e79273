/**
 * The date range of list and indicator queries (`from`, `to`), shared by the outreach, treatment and education
 * routes: dates YYYY-MM-DD between 2000-01-01 and today + 1 year (Cambodia; `boundedDate`, src/core/schemas.ts);
 * default the twelve weeks up to today (never before 2000-01-01); `to` not before `from`; at most five years. With
 * `to` left out it is today, so a `from` alone is checked against today and the error names `from`.
 */
import { z } from 'zod';
import { addDays, daysBetween, isValidDate, todayInCambodia, type DateRange } from '../../core/dates.js';
import { EARLIEST_DATE } from '../../core/periods.js';
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
  if (q.from !== undefined || !isValidDate(to)) return { from: q.from ?? to, to };
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
