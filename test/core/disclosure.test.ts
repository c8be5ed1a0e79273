import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allowedFilter,
  bounds,
  cellLines,
  checkedTimeLine,
  CROSSED_PERIOD_TYPES,
  HIDDEN,
  isCrossedPeriod,
  isReleasedPeriod,
  linePins,
  publish,
  releasedCell,
  RELEASED_PERIOD_TYPES,
  round5,
  rowCells,
  shownRatio,
  SMALL,
  type MeasureSpec,
  type Shown,
  type ShownTable,
} from '../../src/core/disclosure.js';
import {
  campaignDayPeriod,
  campaignToDatePeriod,
  campaignWeekPeriod,
  dayPeriod,
  isoWeekPeriod,
  monthPeriod,
  quarterPeriod,
  yearPeriod,
  timeLine,
  PERIOD_TYPES,
  type Campaign,
  type Period,
  type PeriodType,
} from '../../src/core/periods.js';

describe('publishing a count of people', () => {
  it('keeps zero, hides 1–4 as "<5" and rounds the rest to base 5', () => {
    expect(publish(0)).toBe(0);
    for (const n of [1, 2, 3, 4]) expect(publish(n)).toBe(SMALL);
    expect([5, 6, 7, 8, 12, 13, 469, 100].map((n) => publish(n))).toEqual([5, 5, 5, 10, 10, 15, 470, 100]);
    expect(() => publish(-1)).toThrow();
    expect(() => publish(1.5)).toThrow();
  });

  it('says what a reader can infer, and the true value is always inside it', () => {
    fc.assert(
      fc.property(fc.nat(100_000), (n) => {
        const [lo, hi] = bounds(publish(n));
        expect(lo <= n && n <= hi).toBe(true);
        if (n >= 5) expect(round5(n, (n % 97) / 97) % 5).toBe(0);
      }),
    );
    expect(bounds(HIDDEN)).toEqual([1, Infinity]);
  });

  it('hides a whole whose line would pin a small part', () => {
    // four parts of 1 under a total of 4 ("<5"): each must be 1
    expect(linePins([1, 4], [1, 1, 1, 1])).toBe(true);
    expect(publish(4, [[1, 1, 1, 1]])).toBe(HIDDEN);
    // a whole known to within 6–14 over two "<5" parts: each is 2–4, not pinned
    expect(publish(8, [[4, 4]])).toBe(10);
    // three parts of 1 under "<5": each is 1 or 2
    expect(publish(3, [[1, 1, 1]])).toBe(SMALL);
    // with the whole known only to ±4, a small part beside larger ones keeps its range
    expect(typeof publish(17, [[8, 8, 1]])).toBe('number');
    expect(publish(9, [[4, 5]])).toBe(10);
    expect(publish(3, [[3, 0, 0]])).toBe(SMALL);
  });

  it('rounds at random but the same way for the same key, and without bias', () => {
    expect(round5(12, 0.1)).toBe(15);
    expect(round5(12, 0.9)).toBe(10);
    expect(round5(10, 0)).toBe(10);
    expect(round5(5, 0)).toBe(5);
    let sum = 0;
    const N = 10_000;
    for (let i = 0; i < N; i++) sum += round5(12, (i + 0.5) / N);
    expect(sum / N).toBeCloseTo(12, 2);
  });

  it('never lets one line pin a small part of a published whole (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(12), { minLength: 1, maxLength: 6 }), (parts) => {
        const n = parts.reduce((a, b) => a + b, 0);
        const p = publish(n, [parts]);
        if (p === HIDDEN || n === 0) return;
        const whole = bounds(p);
        const b = parts.map((x) => bounds(publish(x)));
        parts.forEach((x, i) => {
          if (x < 1 || x > 4) return;
          const othersLo = b.reduce((s, [l], j) => (j === i ? s : s + l), 0);
          const othersHi = b.reduce((s, [, h], j) => (j === i ? s : s + h), 0);
          expect(Math.min(4, whole[1] - othersLo) > Math.max(1, whole[0] - othersHi)).toBe(true);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('gives rates of published counts only', () => {
    expect(shownRatio(10, 20)).toBe(0.5);
    expect(shownRatio(SMALL, 20)).toBeNull();
    expect(shownRatio(5, HIDDEN)).toBeNull();
    expect(shownRatio(5, 0)).toBeNull();
  });
});

/** A measure with a listed cross (province × sex) and a third dimension crossed with nothing. */
const LATTICE_SPEC: MeasureSpec = {
  id: 'm',
  dims: [
    { id: 'province', values: ['KH-1', 'KH-2'] },
    { id: 'sex', values: ['male', 'female'] },
    { id: 'setting', values: ['drop_in', 'hotspot'] },
  ],
  crosses: [['province', 'sex']],
  additiveInTime: true,
};

describe('the lattice of released cells', () => {
  const spec: MeasureSpec = { ...LATTICE_SPEC, overlapping: ['setting'] };
  const specs = new Map([['m', spec]]);

  it('releases no filter, one dimension, or a listed cross', () => {
    expect(allowedFilter(spec, {})).toBe(true);
    expect(allowedFilter(spec, { sex: 'female' })).toBe(true);
    expect(allowedFilter(spec, { province: 'KH-1', sex: 'female' })).toBe(true);
    expect(allowedFilter(spec, { province: 'KH-1', setting: 'hotspot' })).toBe(false);
    expect(allowedFilter(spec, { sex: 'unknown' })).toBe(false);
  });

  it('checks a cell against its time line and every split line that is a partition', () => {
    const lines = cellLines(specs, { measure: 'm', period: monthPeriod(2026, 2), filter: {} });
    // provinces, sexes (settings overlap: no line); no time line: a month's parts are days, never published
    expect(lines.map((l) => l.length)).toEqual([2, 2]);
    expect(cellLines(specs, { measure: 'm', period: quarterPeriod(2026, 1), filter: {} })[0].map((c) => c.period.spec)).toEqual(['2026-01', '2026-02', '2026-03']);
    const year = cellLines(specs, { measure: 'm', period: yearPeriod(2026), filter: { province: 'KH-1' } });
    expect(year.map((l) => l.map((c) => c.period.spec))).toEqual([['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'], ['2026', '2026']]);
  });
});

describe('the cells published (releasedCell): every period type × filter size', () => {
  const spec = LATTICE_SPEC;
  const c: Campaign = { id: 'c1', startDate: '2026-10-28', endDate: null };
  const periods: Record<PeriodType, Period> = {
    day: dayPeriod('2026-11-20'),
    iso_week: isoWeekPeriod(2026, 47),
    month: monthPeriod(2026, 11),
    quarter: quarterPeriod(2026, 4),
    year: yearPeriod(2026),
    campaign_day: campaignDayPeriod(c, 3),
    campaign_week: campaignWeekPeriod(c, 2),
    campaign_to_date: campaignToDatePeriod(c, '2026-12-02'),
  };
  const filters = {
    none: {},
    one: { sex: 'female' },
    cross: { province: 'KH-1', sex: 'female' },
    unlistedCross: { province: 'KH-1', setting: 'hotspot' },
    unknownValue: { sex: 'unknown' },
    three: { province: 'KH-1', sex: 'female', setting: 'hotspot' },
  } as const;
  // what each period type publishes, by filter: days never; weeks and campaign periods margins only; calendar months,
  // quarters and years also the listed two-way cells
  const expected: Record<PeriodType, Record<keyof typeof filters, boolean>> = {
    day: { none: false, one: false, cross: false, unlistedCross: false, unknownValue: false, three: false },
    campaign_day: { none: false, one: false, cross: false, unlistedCross: false, unknownValue: false, three: false },
    iso_week: { none: true, one: true, cross: false, unlistedCross: false, unknownValue: false, three: false },
    campaign_week: { none: true, one: true, cross: false, unlistedCross: false, unknownValue: false, three: false },
    campaign_to_date: { none: true, one: true, cross: false, unlistedCross: false, unknownValue: false, three: false },
    month: { none: true, one: true, cross: true, unlistedCross: false, unknownValue: false, three: false },
    quarter: { none: true, one: true, cross: true, unlistedCross: false, unknownValue: false, three: false },
    year: { none: true, one: true, cross: true, unlistedCross: false, unknownValue: false, three: false },
  };

  it('covers every period type', () => {
    expect(Object.keys(expected).sort()).toEqual([...PERIOD_TYPES].sort());
    expect([...RELEASED_PERIOD_TYPES].sort()).toEqual(['campaign_to_date', 'campaign_week', 'iso_week', 'month', 'quarter', 'year']);
    expect([...CROSSED_PERIOD_TYPES].sort()).toEqual(['month', 'quarter', 'year']);
  });

  for (const type of PERIOD_TYPES)
    it(`${type}: ${Object.entries(expected[type])
      .filter(([, v]) => v)
      .map(([k]) => k)
      .join(', ') || 'nothing'}`, () => {
      const period = periods[type];
      expect(period.type).toBe(type);
      expect(isReleasedPeriod(period)).toBe(expected[type].none);
      expect(isCrossedPeriod(period)).toBe(expected[type].cross);
      for (const [name, filter] of Object.entries(filters) as [keyof typeof filters, Record<string, string>][])
        expect(releasedCell(spec, { measure: 'm', period, filter }), `${type} × ${name}`).toBe(expected[type][name]);
      // each value of each dimension, alone, is released like the unfiltered cell
      for (const dim of spec.dims)
        for (const v of dim.values) expect(releasedCell(spec, { measure: 'm', period, filter: { [dim.id]: v } })).toBe(expected[type].none);
      // every listed cross, either way round, like the listed cross
      for (const p of ['KH-1', 'KH-2'])
        for (const s of ['male', 'female']) expect(releasedCell(spec, { measure: 'm', period, filter: { sex: s, province: p } })).toBe(expected[type].cross);
    });

  it('a line is checked only where a reader has its parts: a week is not checked against its days or its crosses, a month against its crosses', () => {
    const specs = new Map([['m', spec]]);
    const week = cellLines(specs, { measure: 'm', period: isoWeekPeriod(2026, 47), filter: { sex: 'female' } });
    // no time line (every part a day, never published) and no split by province (no week publishes province × sex)
    expect(week).toEqual([]);
    // the week's total is still checked against its one-dimension splits, which a week publishes
    const total = cellLines(specs, { measure: 'm', period: isoWeekPeriod(2026, 47), filter: {} });
    expect(total.map((l) => Object.keys(l[0].filter))).toEqual([['province'], ['sex'], ['setting']]);
    expect(total.flat().every((x) => releasedCell(spec, x))).toBe(true);
    // a month's female total is split by province: the month publishes province × sex
    const month = cellLines(specs, { measure: 'm', period: monthPeriod(2026, 11), filter: { sex: 'female' } });
    expect(month.map((l) => l.map((x) => x.filter.province))).toEqual([['KH-1', 'KH-2']]);
    expect(month.flat().every((x) => releasedCell(spec, x))).toBe(true);
    // a server that published everything would check them all (the attackers' proof that the rules are needed)
    expect(cellLines(specs, { measure: 'm', period: isoWeekPeriod(2026, 47), filter: { sex: 'female' } }, undefined, (p) => timeLine(p), true).map((l) => l.length)).toEqual([7, 2]);
  });
  it('campaign to date keeps its whole time line when some parts are released (its weeks, then the days of a week not complete)', () => {
    const ended: Campaign = { ...c, endDate: '2026-11-14' }; // 18 days: weeks 1 and 2, days 15–18
    const toDate = campaignToDatePeriod(ended, '2026-12-02');
    const lines = cellLines(new Map([['m', spec]]), { measure: 'm', period: toDate, filter: {} }, ended);
    expect(lines[0].map((x) => x.period.spec)).toEqual(['week:1', 'week:2', 'day:15', 'day:16', 'day:17', 'day:18']);
    expect(checkedTimeLine(monthPeriod(2026, 11))).toEqual([]);
    expect(checkedTimeLine(campaignWeekPeriod(c, 2), c)).toEqual([]);
    expect(checkedTimeLine(yearPeriod(2026)).map((p) => p.spec)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
  });
});

describe('the cells of a row for a CSV (rowCells)', () => {
  const base = (): Omit<ShownTable, 'cells' | 'crossed'> => ({ rows: ['a', 'b'], columns: ['x', 'y', 'z'], rowTotals: [5, SMALL], columnTotals: [0, 5, SMALL], total: 10, withheld: false });
  it('a crossed table: the row\'s cells as published', () => {
    const t: ShownTable = { ...base(), cells: [[0, 5, 0], [0, 0, SMALL]] as Shown[][], crossed: true };
    expect(rowCells(t, 0)).toEqual([0, 5, 0]);
    expect(rowCells(t, 1)).toEqual([0, 0, SMALL]);
  });
  it('a table released by its margins only: an empty string per column', () => {
    const t: ShownTable = { ...base(), cells: [[], []], crossed: false };
    expect(rowCells(t, 0)).toEqual(['', '', '']);
    expect(rowCells(t, 1)).toEqual(['', '', '']);
  });
});
