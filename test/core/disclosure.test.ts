import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allowedFilter, bounds, cellLines, HIDDEN, linePins, publish, round5, shownRatio, SMALL, type MeasureSpec } from '../../src/core/disclosure.js';
import { monthPeriod, yearPeriod } from '../../src/core/periods.js';

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

describe('the lattice of released cells', () => {
  const spec: MeasureSpec = {
    id: 'm',
    dims: [
      { id: 'province', values: ['KH-1', 'KH-2'] },
      { id: 'sex', values: ['male', 'female'] },
      { id: 'setting', values: ['drop_in', 'hotspot'] },
    ],
    crosses: [['province', 'sex']],
    additiveInTime: true,
    overlapping: ['setting'],
  };
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
    expect(lines.map((l) => l.length)).toEqual([28, 2, 2]); // days, provinces, sexes (settings overlap: no line)
    const year = cellLines(specs, { measure: 'm', period: yearPeriod(2026), filter: { province: 'KH-1' } });
    expect(year.map((l) => l.map((c) => c.period.spec))).toEqual([['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'], ['2026', '2026']]);
  });
});
