import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  campaignRuleProblems,
  datesOverlap,
  isHealthCampaign,
  isWholeWeeks,
  nearestWholeWeekEnds,
  END_FIXED_MESSAGE,
  KEEP_HEALTH_MESSAGE,
  START_FIXED_MESSAGE,
  type CampaignShape,
  type OtherHealthCampaign,
} from '../../src/core/campaigns.js';
import { addDays, daysBetween } from '../../src/core/dates.js';

const TODAY = '2026-12-02'; // a Wednesday
const HR = ['harm_reduction'];
const ENF = ['enforcement'];
const c = (startDate: string, endDate: string | null = null, pillars: string[] = HR): CampaignShape => ({ startDate, endDate, pillars });
const create = (after: CampaignShape, others: OtherHealthCampaign[] = [], today = TODAY) => campaignRuleProblems({ before: null, after, today, others });
const update = (before: CampaignShape, after: CampaignShape, others: OtherHealthCampaign[] = [], today = TODAY) => campaignRuleProblems({ before, after, today, others });
const paths = (ps: { path: string }[]) => ps.map((p) => p.path);

describe('what a health campaign is', () => {
  it('has a treatment, harm-reduction or education pillar', () => {
    expect(isHealthCampaign(['enforcement'])).toBe(false);
    for (const p of ['treatment', 'harm_reduction', 'education']) expect(isHealthCampaign(['enforcement', p])).toBe(true);
  });
});

describe('whole campaign weeks', () => {
  it('7, 14, 21 … days', () => {
    expect(isWholeWeeks(TODAY, addDays(TODAY, 6))).toBe(true);
    expect(isWholeWeeks(TODAY, addDays(TODAY, 13))).toBe(true);
    expect(isWholeWeeks(TODAY, TODAY)).toBe(false);
    expect(isWholeWeeks(TODAY, addDays(TODAY, 7))).toBe(false);
  });

  it('names the nearest valid end dates, not one before today', () => {
    expect(nearestWholeWeekEnds(TODAY, '2026-12-31', TODAY)).toEqual(['2026-12-29', '2027-01-05']);
    expect(nearestWholeWeekEnds(TODAY, '2026-12-04', TODAY)).toEqual(['2026-12-08']);
    expect(nearestWholeWeekEnds('2026-11-01', '2026-12-03', TODAY)).toEqual(['2026-12-05']);
  });
});

describe('creating', () => {
  it('a health campaign starts today or later', () => {
    expect(create(c(TODAY))).toEqual([]);
    expect(create(c(addDays(TODAY, 30)))).toEqual([]);
    expect(create(c(addDays(TODAY, -1)))).toEqual([{ path: 'startDate', message: `must be today (${TODAY}) or later for a health campaign` }]);
  });

  it('its end makes whole campaign weeks, and the message names the nearest ends', () => {
    expect(create(c(TODAY, addDays(TODAY, 27)))).toEqual([]);
    expect(create(c(TODAY, '2026-12-31'))).toEqual([
      { path: 'endDate', message: 'must end a whole campaign week (a campaign starting on a Wednesday ends on a Tuesday: 2026-12-29 or 2027-01-05)' },
    ]);
  });

  it('it overlaps no other health campaign: on the start when it starts inside it, else on the end', () => {
    const other = { nameEn: 'Other', startDate: addDays(TODAY, 14), endDate: addDays(TODAY, 20) };
    expect(create(c(TODAY, addDays(TODAY, 13)), [other])).toEqual([]);
    expect(create(c(TODAY, addDays(TODAY, 20)), [other])).toEqual([{ path: 'endDate', message: `overlaps the health campaign Other (${other.startDate} – ${other.endDate})` }]);
    expect(create(c(TODAY), [other])).toEqual([{ path: 'endDate', message: `overlaps the health campaign Other (${other.startDate} – ${other.endDate})` }]);
    expect(paths(create(c(addDays(TODAY, 20), addDays(TODAY, 26)), [other]))).toEqual(['startDate']);
    const open = { nameEn: 'Open', startDate: addDays(TODAY, 7), endDate: null };
    expect(create(c(addDays(TODAY, 70), addDays(TODAY, 76)), [open])).toEqual([{ path: 'startDate', message: `overlaps the health campaign Open (${open.startDate} – open)` }]);
  });

  it('an enforcement-only campaign is not concerned', () => {
    expect(create(c('2010-01-01', '2010-01-03', ENF), [{ nameEn: 'x', startDate: '2009-01-01', endDate: null }])).toEqual([]);
  });

  it('the trusted path skips the date rules', () => {
    expect(campaignRuleProblems({ before: null, after: c('2020-01-01', '2020-01-03'), today: TODAY, others: [{ nameEn: 'x', startDate: '2019-01-01', endDate: null }], trusted: true })).toEqual([]);
  });
});

describe('updating', () => {
  const started = c(addDays(TODAY, -10), addDays(TODAY, 24)); // 35 days
  const future = c(addDays(TODAY, 7), addDays(TODAY, 13));

  it('once started, the start date cannot change (either way); the same start is fine', () => {
    expect(update(started, { ...started, startDate: addDays(TODAY, -9) })).toEqual([{ path: 'startDate', message: START_FIXED_MESSAGE }]);
    expect(update(started, { ...started, startDate: addDays(TODAY, 1) })).toEqual([{ path: 'startDate', message: START_FIXED_MESSAGE }]);
    expect(update(started, { ...started })).toEqual([]);
    // a campaign that starts today has started
    expect(paths(update(c(TODAY), c(addDays(TODAY, 1))))).toEqual(['startDate']);
  });

  it('before it has started, a new start is today or later', () => {
    expect(update(future, c(TODAY, addDays(TODAY, 6)))).toEqual([]);
    expect(paths(update(future, c(addDays(TODAY, -1), addDays(TODAY, 5))))).toEqual(['startDate']);
  });

  it('an end is not set or moved before today, and is whole weeks', () => {
    expect(update(started, { ...started, endDate: addDays(TODAY, -4) })).toEqual([{ path: 'endDate', message: `must be today (${TODAY}) or later for a health campaign` }]);
    expect(update(started, { ...started, endDate: addDays(TODAY, 3) })).toEqual([]); // 14 days
    expect(update(started, { ...started, endDate: null })).toEqual([]);
    expect(paths(update(started, { ...started, endDate: addDays(TODAY, 4) }))).toEqual(['endDate']);
    expect(update(c(addDays(TODAY, -10)), c(addDays(TODAY, -10), addDays(TODAY, 10)))).toEqual([]); // 21 days
  });

  it('once ended, the end cannot change', () => {
    const ended = c(addDays(TODAY, -20), addDays(TODAY, -7));
    expect(update(ended, { ...ended, endDate: addDays(TODAY, 7) })).toEqual([{ path: 'endDate', message: END_FIXED_MESSAGE }]);
    expect(update(ended, { ...ended, endDate: null })).toEqual([{ path: 'endDate', message: END_FIXED_MESSAGE }]);
    expect(update(ended, { ...ended })).toEqual([]);
  });

  it('unchanged dates are not checked again (a rename of an older campaign is fine)', () => {
    const old = c('2024-01-01', '2024-01-03');
    expect(update(old, { ...old }, [{ nameEn: 'Overlapping', startDate: '2023-12-01', endDate: null }])).toEqual([]);
  });

  it('gaining a health pillar is creating a health campaign', () => {
    const enf = c(addDays(TODAY, -3), addDays(TODAY, 1), ENF);
    expect(paths(update(enf, { ...enf, pillars: ['enforcement', 'education'] }))).toEqual(['startDate', 'endDate']);
    const later = c(addDays(TODAY, 7), addDays(TODAY, 13), ENF);
    expect(update(later, { ...later, pillars: ['education'] })).toEqual([]);
    expect(paths(update(later, { ...later, pillars: ['education'] }, [{ nameEn: 'x', startDate: TODAY, endDate: null }]))).toEqual(['startDate']);
  });

  it('losing every health pillar once started is refused on pillars; before the start it is fine', () => {
    expect(update(started, { ...started, pillars: ENF })).toEqual([{ path: 'pillars', message: KEEP_HEALTH_MESSAGE }]);
    expect(campaignRuleProblems({ before: started, after: { ...started, pillars: ENF }, today: TODAY, others: [], trusted: true })).toEqual([{ path: 'pillars', message: KEEP_HEALTH_MESSAGE }]);
    expect(update(future, { ...future, pillars: ENF })).toEqual([]);
    expect(update(started, { ...started, pillars: ['treatment'] })).toEqual([]);
  });
});

describe('properties', () => {
  const day = fc.integer({ min: -400, max: 400 });
  const shape = fc.record({ start: day, len: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }), health: fc.boolean() });
  const toShape = (s: { start: number; len: number | null; health: boolean }): CampaignShape =>
    c(addDays(TODAY, s.start), s.len === null ? null : addDays(TODAY, s.start + s.len), s.health ? ['enforcement', 'treatment'] : ENF);
  const others = fc.array(fc.record({ start: day, len: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }) }), { maxLength: 3 }).map((xs) =>
    xs.map((o, i) => ({ nameEn: `O${i}`, startDate: addDays(TODAY, o.start), endDate: o.len === null ? null : addDays(TODAY, o.start + o.len) })),
  );

  it('a health campaign the rules accept on creation starts today or later, is whole weeks and overlaps no other', () => {
    fc.assert(
      fc.property(shape, others, (s, os) => {
        const after = toShape(s);
        if (create(after, os).length || !isHealthCampaign(after.pillars)) return;
        expect(after.startDate >= TODAY).toBe(true);
        if (after.endDate) expect((daysBetween(after.startDate, after.endDate) + 1) % 7).toBe(0);
        for (const o of os) expect(datesOverlap(after, o)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('an accepted update of a started health campaign keeps its start, and its published days keep their week grid', () => {
    fc.assert(
      fc.property(shape, shape, (b, a) => {
        const before = toShape({ ...b, health: true });
        const after = toShape(a);
        if (update(before, after).length) return;
        if (before.startDate <= TODAY) {
          expect(after.startDate).toBe(before.startDate);
          expect(isHealthCampaign(after.pillars)).toBe(true);
          if (before.endDate !== null && before.endDate < TODAY) expect(after.endDate).toBe(before.endDate);
          else if (after.endDate !== null && after.endDate !== before.endDate) expect(after.endDate >= TODAY).toBe(true);
        } else if (isHealthCampaign(after.pillars) && after.startDate !== before.startDate) expect(after.startDate >= TODAY).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('every problem names a field the form shows', () => {
    fc.assert(
      fc.property(fc.option(shape, { nil: null }), shape, others, (b, a, os) => {
        for (const p of campaignRuleProblems({ before: b && toShape(b), after: toShape(a), today: TODAY, others: os })) expect(['startDate', 'endDate', 'pillars']).toContain(p.path);
      }),
    );
  });
});
