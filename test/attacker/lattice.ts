/**
 * The horizon and the fixed periods both lattice attackers ask (test/core/attacker.test.ts,
 * test/core/attacker-distinct.test.ts): four weeks crossing a month, a campaign starting on a Wednesday, and every
 * period a reader can ask once all are over.
 */
import { addDays } from '../../src/core/dates.js';
import {
  campaignDayPeriod,
  campaignToDatePeriod,
  campaignWeekPeriod,
  dayPeriod,
  eachDate,
  incompleteProblem,
  isoWeekPeriod,
  monthPeriod,
  quarterPeriod,
  yearPeriod,
  type Campaign,
  type Period,
} from '../../src/core/periods.js';

export const HORIZON = { from: '2026-10-26', to: '2026-11-22' }; // Monday of ISO week 44 to Sunday of week 47; crosses a month
export const TODAY = '2027-01-05'; // the reader asks once every period is over
export const CAMPAIGN: Campaign = { id: 'c1', startDate: '2026-10-28', endDate: null }; // a Wednesday: its weeks are not ISO weeks
export const DAYS = eachDate(HORIZON);

/**
 * Every fixed period a reader can ask that touches the horizon. Health figures are released for complete periods
 * only, so the reader asks after the year is over: every day, campaign day, ISO week, month, the quarter, the year,
 * every campaign week, and campaign to date as it stood after each week.
 */
export function everyPeriod(): Period[] {
  const out: Period[] = [];
  for (const d of DAYS) out.push(dayPeriod(d));
  for (let n = 1; addDays(CAMPAIGN.startDate, n - 1) <= HORIZON.to; n++) out.push(campaignDayPeriod(CAMPAIGN, n));
  for (let w = 44; w <= 47; w++) out.push(isoWeekPeriod(2026, w));
  out.push(monthPeriod(2026, 10), monthPeriod(2026, 11), quarterPeriod(2026, 4), yearPeriod(2026));
  for (let w = 1; addDays(CAMPAIGN.startDate, (w - 1) * 7) <= HORIZON.to; w++) out.push(campaignWeekPeriod(CAMPAIGN, w));
  for (let d = addDays(CAMPAIGN.startDate, 7); d <= TODAY; d = addDays(d, 7)) out.push(campaignToDatePeriod(CAMPAIGN, d));
  return out.filter((p) => incompleteProblem(p, TODAY) === null);
}
