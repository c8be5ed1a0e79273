import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  campaignToDatePeriod,
  campaignWeekPeriod,
  monthPeriod,
  quarterPeriod,
  dateBoundsProblem,
  eachDate,
  isoWeekOf,
  latestDate,
  dailyProblem,
  isoWeekPeriod,
  yearPeriod,
  dayPeriod,
  parseHealthPeriod,
  parsePeriod,
  periodContaining,
  releasedSeries,
  timeLine,
  PERIOD_SPEC_MESSAGE,
  PERIOD_TYPES,
  type Campaign,
  type Period,
} from '../../src/core/periods.js';
import { addDays, daysBetween } from '../../src/core/dates.js';

const TODAY = '2026-12-02';
const CAMPAIGN: Campaign = { id: 'c1', startDate: '2026-10-28', endDate: null };
const ok = (spec: string, c: Campaign | null = null, today = TODAY): Period => {
  const r = parsePeriod(spec, c, today);
  if (!r.ok) throw new Error(`${spec}: ${r.message}`);
  return r.period;
};

describe('fixed reporting periods', () => {
  it('reads every kind of period', () => {
    expect(ok('2026-11-28')).toMatchObject({ type: 'day', from: '2026-11-28', to: '2026-11-28', key: 'day:2026-11-28' });
    expect(ok('2026-W48')).toMatchObject({ type: 'iso_week', from: '2026-11-23', to: '2026-11-29' });
    expect(ok('2026-W01')).toMatchObject({ from: '2025-12-29', to: '2026-01-04' });
    expect(ok('2020-W53')).toMatchObject({ from: '2020-12-28', to: '2021-01-03' });
    expect(ok('2024-02')).toMatchObject({ type: 'month', from: '2024-02-01', to: '2024-02-29' });
    expect(ok('2026-Q4')).toMatchObject({ type: 'quarter', from: '2026-10-01', to: '2026-12-31' });
    expect(ok('2026')).toMatchObject({ type: 'year', from: '2026-01-01', to: '2026-12-31' });
    expect(ok('day:3', CAMPAIGN)).toMatchObject({ type: 'campaign_day', from: '2026-10-30', key: 'campaign_day:c1:3' });
    expect(ok('week:2', CAMPAIGN)).toMatchObject({ type: 'campaign_week', from: '2026-11-04', to: '2026-11-10' });
    // 35 days from 28 October to 2 December: five complete weeks
    expect(ok('to_date', CAMPAIGN)).toMatchObject({ type: 'campaign_to_date', from: '2026-10-28', to: '2026-12-01' });
    expect(ok('to_date', { ...CAMPAIGN, endDate: '2026-11-15' })).toMatchObject({ to: '2026-11-15' });
  });

  it('refuses malformed periods, missing campaigns and dates outside 2000-01-01 … today + 1 year, naming the field', () => {
    for (const bad of ['2026-W54', '2026-W00', '2025-W53', '2026-13', '2026-00', '2026-Q5', '2026-02-30', 'week:0', 'day:x', 'weeks:2', '', '99999'])
      expect(parsePeriod(bad, CAMPAIGN, TODAY)).toMatchObject({ ok: false, path: 'period' });
    expect(parsePeriod('week:2', null, TODAY)).toMatchObject({ ok: false, path: 'campaignId' });
    for (const far of ['9999', '9999-12-31', '0001-01-01', '1999-12-31', '1999', '2027-12', 'week:99999'])
      expect(parsePeriod(far, CAMPAIGN, TODAY)).toMatchObject({ ok: false, path: 'period' });
    expect(parsePeriod('2000-01-01', null, TODAY).ok).toBe(true);
    expect(parsePeriod(latestDate(TODAY), null, TODAY).ok).toBe(true);
    expect(latestDate('2028-02-29')).toBe('2029-03-01');
    expect(dateBoundsProblem('1999-12-31', TODAY)).toMatch(/2000-01-01/);
    expect(dateBoundsProblem('2027-12-03', TODAY)).toMatch(/2027-12-02/);
  });

  it('gives every period the parts it is the sum of, covering it exactly without overlap', () => {
    const date = fc.integer({ min: 0, max: 9000 }).map((n) => addDays('2001-01-01', n));
    fc.assert(
      fc.property(date, fc.constantFrom(...PERIOD_TYPES), (d, type) => {
        const campaign: Campaign = { id: 'c', startDate: addDays(d, -40), endDate: null };
        if (type === 'campaign_to_date') return; // ends at the last complete week: not a period containing d
        const p = periodContaining(type, d, campaign, d);
        expect(p.from <= d && d <= p.to).toBe(true);
        const parts = timeLine(p, campaign);
        if (type === 'day' || type === 'campaign_day') {
          expect(parts).toEqual([]);
          return;
        }
        expect(parts[0].from).toBe(p.from);
        expect(parts[parts.length - 1].to).toBe(p.to);
        for (let i = 1; i < parts.length; i++) expect(parts[i].from).toBe(addDays(parts[i - 1].to, 1));
      }),
      { numRuns: 400 },
    );
  });

  it('numbers ISO weeks as the standard does and keeps campaign to date as complete weeks plus the days after', () => {
    expect(isoWeekOf('2027-01-01')).toEqual({ year: 2026, week: 53 });
    expect(isoWeekOf('2026-11-30')).toEqual({ year: 2026, week: 49 });
    const ctd = campaignToDatePeriod(CAMPAIGN, '2026-11-20'); // 23 complete days: 3 complete weeks
    expect(ctd.to).toBe('2026-11-17');
    expect(timeLine(ctd, CAMPAIGN).map((p) => p.spec)).toEqual(['week:1', 'week:2', 'week:3']);
    expect(eachDate(ctd).length).toBe(daysBetween(ctd.from, ctd.to) + 1);
    // ended mid-week: through the end, the last days after the whole weeks
    const ended = campaignToDatePeriod({ ...CAMPAIGN, endDate: '2026-11-12' }, TODAY);
    expect(timeLine(ended, CAMPAIGN).map((p) => p.spec)).toEqual(['week:1', 'week:2', 'day:15', 'day:16']);
  });

  it('releases health figures for complete periods only', () => {
    expect(parseHealthPeriod('2026-11', null, TODAY).ok).toBe(true);
    expect(parseHealthPeriod('2026-12', null, TODAY)).toMatchObject({ ok: false, path: 'period' });
    expect(parseHealthPeriod('2026-W48', null, TODAY).ok).toBe(true); // 23–29 November: over
    expect(parseHealthPeriod('2026-W49', null, TODAY)).toMatchObject({ ok: false, path: 'period', message: expect.stringMatching(/has not ended/) });
    expect(parseHealthPeriod('week:5', CAMPAIGN, TODAY).ok).toBe(true); // 25 November – 1 December
    expect(parseHealthPeriod('week:6', CAMPAIGN, TODAY)).toMatchObject({ ok: false, path: 'period', message: expect.stringMatching(/has not ended/) });
    expect(parseHealthPeriod('to_date', CAMPAIGN, TODAY).ok).toBe(true);
  });

  it('refuses single days and campaign days for health figures, naming the week and month to ask instead', () => {
    // a complete day of the past: a valid period of the lattice, but never a released figure of health data
    expect(parsePeriod('2026-12-01', null, TODAY).ok).toBe(true);
    const day = parseHealthPeriod('2026-12-01', null, TODAY);
    expect(day).toMatchObject({ ok: false, path: 'period', message: expect.stringMatching(/single day/) });
    if (!day.ok) expect(day.message).toContain('2026-W49 and 2026-12');
    // a day of ISO week 53 and of a new year: the message names that week and the day's own month
    const d53 = parseHealthPeriod('2021-01-02', null, TODAY);
    expect(d53).toMatchObject({ ok: false, path: 'period' });
    if (!d53.ok) expect(d53.message).toContain('2020-W53 and 2021-01');
    // refused whether complete or not (a day of today is a single day first)
    expect(parseHealthPeriod(TODAY, null, TODAY)).toMatchObject({ ok: false, path: 'period', message: expect.stringMatching(/single day/) });
    expect(parseHealthPeriod('2000-01-01', null, TODAY)).toMatchObject({ ok: false, path: 'period' });
    // campaign days: day 8 is in week 2, day 7 in week 1
    expect(parsePeriod('day:8', CAMPAIGN, TODAY).ok).toBe(true);
    const cday = parseHealthPeriod('day:8', CAMPAIGN, TODAY);
    expect(cday).toMatchObject({ ok: false, path: 'period', message: expect.stringMatching(/single campaign day/) });
    if (!cday.ok) expect(cday.message).toContain('week:2');
    const cday7 = parseHealthPeriod('day:7', CAMPAIGN, TODAY);
    if (!cday7.ok) expect(cday7.message).toContain('week:1');
    expect(cday7.ok).toBe(false);
    // a campaign day without a campaign is still a missing campaign
    expect(parseHealthPeriod('day:3', null, TODAY)).toMatchObject({ ok: false, path: 'campaignId' });
    // a malformed spec keeps its own message
    expect(parseHealthPeriod('2026-02-30', null, TODAY)).toMatchObject({ ok: false, path: 'period', message: PERIOD_SPEC_MESSAGE });
  });

  it('dailyProblem: a problem for days and campaign days only, for every period type', () => {
    const date = fc.integer({ min: 0, max: 9000 }).map((n) => addDays('2001-01-01', n));
    fc.assert(
      fc.property(date, fc.constantFrom(...PERIOD_TYPES), (d, type) => {
        const campaign: Campaign = { id: 'c', startDate: addDays(d, -40), endDate: null };
        const p = periodContaining(type, d, campaign, d);
        const problem = dailyProblem(p);
        if (type === 'day' || type === 'campaign_day') expect(problem).toMatch(/single (campaign )?day/);
        else expect(problem).toBeNull();
        // and parseHealthPeriod agrees, for any complete period of the past
        const today = addDays(p.to, 1);
        const parsed = parseHealthPeriod(p.spec, campaign, today);
        expect(parsed.ok).toBe(problem === null);
        if (!parsed.ok) expect(parsed.path).toBe('period');
      }),
      { numRuns: 400 },
    );
  });
});

describe('a time line depends on the dates, not on the kind of period asked', () => {
  const keys = (ps: { from: string; to: string }[]) => ps.map((p) => `${p.from}..${p.to}`);
  it('campaign to date after the first week has that week\'s days, like campaign week 1', () => {
    const c = { id: 'c9', startDate: '2026-10-28', endDate: null };
    const toDate = campaignToDatePeriod(c, '2026-11-04');
    expect(toDate).toMatchObject({ from: '2026-10-28', to: '2026-11-03' });
    expect(keys(timeLine(toDate, c))).toEqual(keys(timeLine(campaignWeekPeriod(c, 1), c)));
    expect(timeLine(toDate, c)).toHaveLength(7);
  });
  it('campaign to date whose dates are a calendar quarter or month has its calendar line', () => {
    // 1 April to 30 June is 91 days: thirteen campaign weeks
    const q = { id: 'c10', startDate: '2026-04-01', endDate: null };
    const toDate = campaignToDatePeriod(q, '2026-07-01');
    expect(toDate).toMatchObject({ from: '2026-04-01', to: '2026-06-30' });
    expect(keys(timeLine(toDate, q))).toEqual(keys(timeLine(quarterPeriod(2026, 2))));
    const feb = { id: 'c11', startDate: '2027-02-01', endDate: '2027-02-28' };
    expect(keys(timeLine(campaignToDatePeriod(feb, '2027-03-02'), feb))).toEqual(keys(timeLine(monthPeriod(2027, 2))));
  });
  it('any other campaign to date is its weeks, then the days after the last whole week', () => {
    const c = { id: 'c12', startDate: '2026-10-28', endDate: '2026-11-20' };
    const line = timeLine(campaignToDatePeriod(c, '2026-12-01'), c);
    expect(line.map((p) => p.type)).toEqual(['campaign_week', 'campaign_week', 'campaign_week', 'campaign_day', 'campaign_day', 'campaign_day']);
  });
});

describe('the series released for a period of health data (releasedSeries)', () => {
  const specs = (ps: Period[]) => ps.map((p) => p.spec);
  const c: Campaign = { id: 'c13', startDate: '2026-10-28', endDate: null };
  it('a year is its quarters, a quarter its months', () => {
    expect(specs(releasedSeries(yearPeriod(2026)))).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    expect(specs(releasedSeries(quarterPeriod(2026, 4)))).toEqual(['2026-10', '2026-11', '2026-12']);
  });
  it('a month, an ISO week and a campaign week are their own single part (their parts would be days)', () => {
    expect(releasedSeries(monthPeriod(2026, 2))).toEqual([monthPeriod(2026, 2)]);
    expect(releasedSeries(isoWeekPeriod(2020, 53))).toEqual([isoWeekPeriod(2020, 53)]);
    expect(releasedSeries(campaignWeekPeriod(c, 3), c)).toEqual([campaignWeekPeriod(c, 3)]);
  });
  it('campaign to date is its campaign weeks', () => {
    const toDate = campaignToDatePeriod(c, '2026-12-02'); // five complete weeks
    expect(specs(releasedSeries(toDate, c))).toEqual(['week:1', 'week:2', 'week:3', 'week:4', 'week:5']);
    expect(releasedSeries(toDate, c).every((p) => p.type === 'campaign_week' && p.campaignId === 'c13')).toBe(true);
  });
  it('campaign to date that is one week, or ends with days after its last whole week, is its own single part', () => {
    const oneWeek = campaignToDatePeriod(c, '2026-11-04');
    expect(releasedSeries(oneWeek, c)).toEqual([oneWeek]);
    const ended = { ...c, endDate: '2026-11-12' }; // two weeks and two days
    const p = campaignToDatePeriod(ended, TODAY);
    expect(releasedSeries(p, ended)).toEqual([p]);
  });
  it('campaign to date whose dates are a calendar quarter is that quarter\'s months', () => {
    const q = { id: 'c14', startDate: '2026-04-01', endDate: null };
    expect(specs(releasedSeries(campaignToDatePeriod(q, '2026-07-01'), q))).toEqual(['2026-04', '2026-05', '2026-06']);
  });
  it('never a day, every part a period a health figure is released for, and the parts cover the period exactly', () => {
    const date = fc.integer({ min: 0, max: 9000 }).map((n) => addDays('2001-01-01', n));
    fc.assert(
      fc.property(date, fc.constantFrom(...PERIOD_TYPES.filter((t) => t !== 'day' && t !== 'campaign_day')), fc.integer({ min: 0, max: 400 }), (d, type, age) => {
        const campaign: Campaign = { id: 'c', startDate: addDays(d, -age), endDate: null };
        const p = periodContaining(type, d, campaign, d);
        const parts = releasedSeries(p, campaign);
        expect(parts.length).toBeGreaterThan(0);
        for (const q of parts) expect(dailyProblem(q)).toBeNull();
        expect(parts[0].from).toBe(p.from);
        expect(parts[parts.length - 1].to).toBe(p.to);
        for (let i = 1; i < parts.length; i++) expect(parts[i].from).toBe(addDays(parts[i - 1].to, 1));
      }),
      { numRuns: 400 },
    );
  });
  it('a day asked of it is its own part (it is refused before: parseHealthPeriod)', () => {
    expect(releasedSeries(dayPeriod('2026-11-20'))).toEqual([dayPeriod('2026-11-20')]);
  });
});

describe('dates by day numbers', () => {
  // the way Date does it, which addDays and daysBetween did before they counted days themselves
  const viaDate = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const dateArb = fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  it('addDays and daysBetween agree with Date over years 0000–9999', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -800_000, max: 800_000 }), (date, n) => {
        const t = Date.parse(`${date}T00:00:00Z`) + n * 86_400_000;
        if (t < Date.parse('0000-01-01T00:00:00Z') || t > Date.parse('9999-12-31T00:00:00Z')) {
          expect(() => addDays(date, n)).toThrow(RangeError);
          return;
        }
        const to = addDays(date, n);
        expect(to).toBe(viaDate(date, n));
        expect(daysBetween(date, to)).toBe(n);
      }),
      { numRuns: 5000 },
    );
  });
  it('the edges of the calendar: leap days, centuries, year 0000 and 9999', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('0000-01-01', 365)).toBe('0000-12-31'); // year 0 is a leap year
    expect(addDays('9999-12-30', 1)).toBe('9999-12-31');
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => addDays('0000-01-01', -1)).toThrow(RangeError);
    expect(() => addDays('garbage', 1)).toThrow(RangeError);
    expect(daysBetween('2026-03-01', '2026-02-28')).toBe(-1);
  });
});
