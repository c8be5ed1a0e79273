import { describe, expect, it } from 'vitest';
import {
  admissionInput,
  completionRate,
  createCentreBody,
  dischargeInput,
  inCareOn,
  overlappingStay,
  updateCentreBody,
  type CentreDto,
} from '../../src/core/treatment.js';
import {
  breakdownCounts,
  buildBreakdown,
  centreView,
  linkShared,
  nationalCsv,
  nationalView,
  publishedRatio,
  weekBuckets,
  type NationalFacts,
  type StayFact,
} from '../../src/core/indicators/treatment.js';
import { HIDDEN, isHidden, SMALL, suppress, type SuppressedTable } from '../../src/core/suppression.js';
import { PROVINCE_CODES } from '../../src/core/geography.js';
import { parseCsv } from '../../src/core/csv.js';

const TODAY = '2025-06-15';
const valid = {
  centreId: '6b1953cb-49f6-41fe-824e-9b325f8b35ea',
  uic: 'kmvnf930512',
  admittedOn: '2025-06-01',
  referralSource: 'outreach_ngo',
  legalBasis: 'voluntary',
  consentRecorded: true,
  primaryDrug: 'heroin',
  secondaryDrugs: ['crystal_meth'],
  route: 'inject',
  injecting: 'last_30_days',
  previousTreatment: 'yes',
  sex: 'female',
  ageBand: '25_34',
};
const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string; code: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code }));

describe('admission and discharge schemas', () => {
  const schema = admissionInput(TODAY);

  it('accepts a valid admission, upper-casing the UIC and defaulting secondary drugs', () => {
    const r = schema.safeParse(valid);
    expect(r.success).toBe(true);
    expect(r.data!.uic).toBe('KMVNF930512');
    const { secondaryDrugs: _s, ...noSecondary } = valid;
    expect(schema.parse(noSecondary).secondaryDrugs).toEqual([]);
  });

  it('a voluntary admission needs consent recorded; a compulsory one does not', () => {
    expect(issues(schema.safeParse({ ...valid, consentRecorded: false }))).toEqual([{ path: 'consentRecorded', message: 'must be recorded for a voluntary admission', code: 'custom' }]);
    expect(schema.safeParse({ ...valid, legalBasis: 'court_ordered', consentRecorded: false }).success).toBe(true);
    expect(issues(schema.safeParse({ ...valid, consentRecorded: 'yes' })).map((i) => i.path)).toEqual(['consentRecorded']);
  });

  it('secondary drugs: not the primary one, not twice, at most three, treatment drugs only', () => {
    expect(issues(schema.safeParse({ ...valid, secondaryDrugs: ['heroin'] })).map((i) => [i.path, i.message])).toEqual([['secondaryDrugs', 'must not repeat the primary drug']]);
    expect(issues(schema.safeParse({ ...valid, secondaryDrugs: ['mdma', 'mdma'] })).map((i) => [i.path, i.message])).toEqual([['secondaryDrugs', 'must not list a drug twice']]);
    expect(issues(schema.safeParse({ ...valid, secondaryDrugs: ['mdma', 'ketamine', 'cocaine', 'other'] })).map((i) => i.path)).toEqual(['secondaryDrugs']);
    expect(issues(schema.safeParse({ ...valid, secondaryDrugs: ['precursors'] })).map((i) => i.path)).toEqual(['secondaryDrugs.0']);
    expect(issues(schema.safeParse({ ...valid, primaryDrug: 'cannabis_plants' })).map((i) => i.path)).toEqual(['primaryDrug']);
  });

  it('dates: no future admission or discharge (today is fine), valid calendar dates only', () => {
    expect(schema.safeParse({ ...valid, admittedOn: TODAY }).success).toBe(true);
    expect(issues(schema.safeParse({ ...valid, admittedOn: '2025-06-16' }))).toEqual([{ path: 'admittedOn', message: 'must not be in the future', code: 'custom' }]);
    expect(issues(schema.safeParse({ ...valid, admittedOn: '2025-02-29' })).map((i) => i.path)).toEqual(['admittedOn']);
    const d = dischargeInput(TODAY);
    expect(d.safeParse({ version: 1, dischargedOn: TODAY, reason: 'completed' }).success).toBe(true);
    expect(issues(d.safeParse({ version: 1, dischargedOn: '2025-06-16', reason: 'completed' }))).toEqual([{ path: 'dischargedOn', message: 'must not be in the future', code: 'custom' }]);
    expect(issues(d.safeParse({ version: 0, dischargedOn: TODAY, reason: 'completed' })).map((i) => i.path)).toEqual(['version']);
    expect(issues(d.safeParse({ version: 1, dischargedOn: TODAY, reason: 'escaped' })).map((i) => i.path)).toEqual(['reason']);
  });

  it('the UIC must match the configured format', () => {
    for (const bad of ['KMVNF9305', 'KMVNF93051299', 'KMVN F930512', 'ÉMVNF930512', 'KMVNQ930512', 'KMVNF931312']) {
      expect(issues(schema.safeParse({ ...valid, uic: bad })).map((i) => [i.path, i.message]), bad).toEqual([['uic', 'does not match the UIC format M2F2SYYMMDD']]);
    }
    expect(schema.safeParse({ ...valid, uic: '9999X999999' }).success).toBe(true); // every part unknown
    const other = admissionInput(TODAY, 'M3F3SYYYY');
    expect(other.safeParse({ ...valid, uic: 'KMVNDRF1993' }).success).toBe(true);
    expect(issues(other.safeParse(valid)).map((i) => [i.path, i.message])).toEqual([['uic', 'does not match the UIC format M3F3SYYYY']]);
  });

  it('refuses unknown fields (no name, phone, address or free text can be stored)', () => {
    for (const field of ['name', 'phone', 'address', 'idNumber', 'note']) {
      const r = schema.safeParse({ ...valid, [field]: 'x' });
      expect(issues(r).map((i) => i.code), field).toEqual(['unrecognized_keys']);
    }
    expect(issues(dischargeInput(TODAY).safeParse({ version: 1, dischargedOn: TODAY, reason: 'other', note: 'x' })).map((i) => i.code)).toEqual(['unrecognized_keys']);
    expect(createCentreBody.safeParse({ name: 'Centre', organisationId: valid.centreId, kind: 'state', modality: 'residential', admissionPolicy: 'compulsory', capacity: 10, provinceCode: 'KH-2', director: 'x' }).success).toBe(false);
    expect(updateCentreBody.safeParse({ version: 1, phone: '1' }).success).toBe(false);
  });

  it('route inject cannot go with injecting never', () => {
    expect(issues(schema.safeParse({ ...valid, injecting: 'never' })).map((i) => i.path)).toEqual(['injecting']);
    expect(schema.safeParse({ ...valid, route: 'smoke', injecting: 'never' }).success).toBe(true);
  });
});

describe('stays', () => {
  it('inCareOn: from the admission day, up to (not including) the discharge day', () => {
    const stay = { admittedOn: '2025-01-10', dischargedOn: '2025-01-20' };
    expect(inCareOn(stay, '2025-01-09')).toBe(false);
    expect(inCareOn(stay, '2025-01-10')).toBe(true);
    expect(inCareOn(stay, '2025-01-19')).toBe(true);
    expect(inCareOn(stay, '2025-01-20')).toBe(false);
    expect(inCareOn({ admittedOn: '2025-01-10', dischargedOn: null }, '2030-01-01')).toBe(true);
    expect(inCareOn({ admittedOn: '2025-01-10', dischargedOn: '2025-01-10' }, '2025-01-10')).toBe(false);
  });

  it('overlappingStay: an open stay or one ending after the new admission overlaps; one ending that day does not', () => {
    const open = { admittedOn: '2025-01-01', dischargedOn: null, id: 'open' };
    const ended = { admittedOn: '2024-10-01', dischargedOn: '2024-12-01', id: 'ended' };
    expect(overlappingStay([ended], '2024-12-01')).toBeNull();
    expect(overlappingStay([ended], '2025-02-01')).toBeNull();
    expect(overlappingStay([ended], '2024-11-30')).toBe(ended);
    expect(overlappingStay([ended], '2024-09-01')).toBe(ended); // a new open stay from before would cover it
    expect(overlappingStay([ended, open], '2025-03-01')).toBe(open);
    expect(overlappingStay([], '2025-03-01')).toBeNull();
  });

  it('completionRate: completed ÷ (discharges − transfers)', () => {
    expect(completionRate({ completed: 3, left_against_advice: 1, transferred: 2, moved: 0, died: 0, other: 0 })).toBeCloseTo(0.75);
    expect(completionRate({ completed: 1 })).toBe(1);
    expect(completionRate({ transferred: 4 })).toBeNull();
    expect(completionRate({})).toBeNull();
  });

  it('weekBuckets: 7-day buckets from `from`, the last one shorter and ending at `to`', () => {
    expect(weekBuckets({ from: '2025-01-01', to: '2025-01-16' })).toEqual([
      { from: '2025-01-01', to: '2025-01-07' },
      { from: '2025-01-08', to: '2025-01-14' },
      { from: '2025-01-15', to: '2025-01-16' },
    ]);
    expect(weekBuckets({ from: '2025-01-01', to: '2025-01-01' })).toEqual([{ from: '2025-01-01', to: '2025-01-01' }]);
    expect(weekBuckets({ from: '2025-01-01', to: '2025-03-25' })).toHaveLength(12);
  });
});

const centre: CentreDto = {
  id: 'c1',
  name: 'Centre',
  nameKm: null,
  organisationId: 'o1',
  organisationName: 'Org',
  kind: 'state',
  modality: 'residential',
  admissionPolicy: 'compulsory',
  capacity: 10,
  provinceCode: 'KH-2',
  districtCode: null,
  status: 'open',
  version: 1,
};

describe('centreView (exact)', () => {
  it('shapes the counts of one centre', () => {
    const v = centreView(centre, { from: '2025-01-01', to: '2025-01-10' }, TODAY, {
      inCareToday: 12,
      admissions: [
        { on: '2025-01-01', legalBasis: 'voluntary', referralSource: 'self', n: 2 },
        { on: '2025-01-09', legalBasis: 'compulsory_administrative', referralSource: 'police', n: 5 },
        { on: '2024-12-31', legalBasis: 'voluntary', referralSource: 'self', n: 9 }, // outside the range
      ],
      discharges: [
        { on: '2025-01-03', reason: 'completed', n: 1 },
        { on: '2025-01-10', reason: 'transferred', n: 1 },
      ],
    });
    expect(v.inCareToday).toBe(12);
    expect(v.occupancy).toBeCloseTo(1.2);
    expect(v.overCapacity).toBe(true);
    expect(v.admissions).toBe(7);
    expect(v.discharges).toBe(2);
    expect(v.weeks).toEqual([
      { from: '2025-01-01', to: '2025-01-07', admissions: 2, discharges: 1 },
      { from: '2025-01-08', to: '2025-01-10', admissions: 5, discharges: 1 },
    ]);
    expect(v.byLegalBasis).toEqual({ voluntary: 2, compulsory_administrative: 5, court_ordered: 0 });
    expect(v.shareVoluntary).toBeCloseTo(2 / 7);
    expect(v.byReferralSource.police).toBe(5);
    expect(v.completionRate).toBe(1);
    const empty = centreView({ ...centre, capacity: 0 }, { from: '2025-01-01', to: '2025-01-10' }, TODAY, { inCareToday: 0, admissions: [], discharges: [] });
    expect(empty.occupancy).toBeNull();
    expect(empty.shareVoluntary).toBeNull();
    expect(empty.completionRate).toBeNull();
    expect(empty.overCapacity).toBe(false);
  });
});

/** Every row and every column (with its total) of a published table has 0 or at least 2 hidden members. */
function noLoneHidden(t: SuppressedTable) {
  if (t.withheld) return;
  const rows = t.cells.map((r, i) => [...r, t.rowTotals[i]]);
  const cols = t.columnTotals.map((c, j) => [...t.cells.map((r) => r[j]), c]);
  for (const line of [...rows, [...t.columnTotals, t.total], ...cols, [...t.rowTotals, t.total]]) expect(line.filter(isHidden).length, JSON.stringify(line)).not.toBe(1);
}

const stay = (kind: string, provinceCode: string, key: string, n: number): StayFact => ({ kind, provinceCode, key, n });

describe('national Breakdown', () => {
  it('publishedRatio: only of published numbers, never of a hidden one or a zero denominator', () => {
    expect(publishedRatio(3, 12)).toBe(0.25);
    expect(publishedRatio(SMALL, 12)).toBeNull();
    expect(publishedRatio(6, HIDDEN)).toBeNull();
    expect(publishedRatio(0, 0)).toBeNull();
  });

  it('rates are given when every count they are made of is published, null when one is hidden', () => {
    const b = buildBreakdown({
      rows: ['state', 'private', 'ngo'],
      centres: [7, 3, 1],
      capacity: [700, 90, 0],
      plannedCapacity: [200, 0, 0],
      // state: 10 voluntary of 110; private: 3 voluntary ("<5") of 15; ngo: 6 of 13, hidden to protect private's 3
      admissions: [
        [10, 80, 20],
        [3, 12, 0],
        [6, 7, 0],
      ],
      inCare: [
        [20, 500, 100],
        [2, 30, 7],
        [6, 8, 0],
      ],
      discharges: [
        [30, 10, 5, 5, 0, 0],
        [20, 6, 6, 0, 0, 0],
        [5, 6, 0, 0, 0, 0],
      ],
    });
    expect(b.admissions.cells).toEqual([
      [10, 80, 20],
      [SMALL, HIDDEN, 0],
      [HIDDEN, HIDDEN, 0],
    ]);
    expect(b.shareVoluntary[0]).toBeCloseTo(10 / 110);
    expect(b.shareVoluntary[1]).toBeNull();
    expect(b.shareVoluntary[2]).toBeNull(); // its voluntary cell is hidden (secondary), though its total is shown
    expect(b.admissions.rowTotals[2]).toBe(13);
    for (const t of [b.admissions, b.inCare, b.discharges]) noLoneHidden(t);
    // occupancy: in care (a published row total) ÷ exact capacity; hidden cells in the row do not matter
    expect(b.inCare.cells[1][0]).toBe(SMALL);
    expect(b.occupancy[1]).toBeCloseTo(39 / 90);
    expect(b.occupancy[0]).toBeCloseTo(620 / 700);
    expect(b.occupancy[2]).toBeNull(); // no capacity
    // completion: completed ÷ (discharges − transfers), all published
    expect(b.completion[0]).toBeCloseTo(30 / (50 - 5));
    expect(b.completion[1]).toBeCloseTo(20 / (32 - 6));
    expect(b.completion[2]).toBeCloseTo(5 / 11);
    expect(b.capacity).toEqual([700, 90, 0]);
    expect(b.plannedCapacity).toEqual([200, 0, 0]);
    expect(b.centres).toEqual([7, 3, 1]);
  });

  it('a rate is null whenever one of its counts is hidden — for any table', () => {
    const counts = [
      [4, 9, 0],
      [12, 3, 7],
      [0, 0, 1],
      [25, 30, 6],
    ];
    const b = buildBreakdown({ rows: ['a', 'b', 'c', 'd'], centres: [1, 1, 1, 1], capacity: [10, 10, 10, 10], plannedCapacity: [0, 0, 0, 0], admissions: counts, inCare: counts, discharges: counts.map((r) => [...r, 0, 0, 0]) });
    let hiddenRates = 0;
    b.admissions.rowTotals.forEach((total, i) => {
      const hidden = isHidden(total) || isHidden(b.admissions.cells[i][0]);
      expect(b.shareVoluntary[i] === null, `row ${i}`).toBe(hidden || total === 0);
      if (!hidden && total !== 0) expect(b.shareVoluntary[i]).toBeCloseTo(counts[i][0] / (total as number));
      expect(b.occupancy[i] === null).toBe(isHidden(b.inCare.rowTotals[i]));
      const d = b.discharges;
      const completionHidden = [d.rowTotals[i], d.cells[i][0], d.cells[i][2]].some(isHidden);
      expect(b.completion[i] === null, `completion row ${i}`).toBe(completionHidden);
      if (!completionHidden) expect(b.completion[i]).toBeCloseTo(counts[i][0] / (counts[i][0] + counts[i][1] + counts[i][2] - counts[i][2]));
      if (hidden) hiddenRates++;
    });
    expect(hiddenRates).toBeGreaterThan(0);
    expect(hiddenRates).toBeLessThan(4);
  });

  it('breakdownCounts sums the facts by kind or by province; closed centres count no capacity', () => {
    const facts: NationalFacts = {
      centres: [
        { kind: 'state', provinceCode: 'KH-2', status: 'open', centres: 2, capacity: 300 },
        { kind: 'state', provinceCode: 'KH-2', status: 'planned', centres: 1, capacity: 150 },
        { kind: 'private', provinceCode: 'KH-12', status: 'open', centres: 1, capacity: 40 },
        { kind: 'private', provinceCode: 'KH-12', status: 'closed', centres: 1, capacity: 99 },
      ],
      admissions: [stay('state', 'KH-2', 'voluntary', 3), stay('private', 'KH-12', 'voluntary', 5), stay('private', 'KH-2', 'court_ordered', 2)],
      inCare: [],
      discharges: [stay('state', 'KH-2', 'died', 1)],
      referrals: [],
    };
    const k = breakdownCounts(['state', 'private'], 'kind', facts);
    expect(k.centres).toEqual([2, 1]);
    expect(k.capacity).toEqual([300, 40]);
    expect(k.plannedCapacity).toEqual([150, 0]);
    expect(k.admissions).toEqual([
      [3, 0, 0],
      [5, 0, 2],
    ]);
    expect(k.discharges[0]).toEqual([0, 0, 0, 0, 1, 0]);
    const p = breakdownCounts(['KH-2', 'KH-12'], 'provinceCode', facts);
    expect(p.admissions).toEqual([
      [3, 0, 2],
      [5, 0, 0],
    ]);
    expect(p.capacity).toEqual([300, 40]);
  });

  it('linkShared: a table hiding a total that the other table shows is withheld (the shown total would give its cells away)', () => {
    // by kind: two "<5" voluntary cells that add up to 8 — suppress() hides the column total; by province: one 8
    const byKind = [
      [4, 40],
      [4, 12],
    ];
    const byProvince = [
      [8, 30],
      [0, 22],
    ];
    const a = suppress(byKind);
    const b = suppress(byProvince);
    expect(a.columnTotals[0]).toBe(HIDDEN);
    expect(b.columnTotals[0]).toBe(8);
    const [la, lb] = linkShared(a, b, 60);
    expect(la.withheld).toBe(true);
    expect(la.cells.flat().every((x) => x === HIDDEN)).toBe(true);
    expect(la.total).toBe(60);
    expect(lb).toBe(b);
    // tables that agree on their shared totals are left as they are
    const c = suppress([
      [10, 20],
      [7, 3],
    ]);
    const d = suppress([
      [17, 23],
      [0, 0],
    ]);
    expect(c.columnTotals).toEqual(d.columnTotals);
    expect(linkShared(c, d, 40)).toEqual([c, d]);
  });
});

describe('nationalView', () => {
  const facts: NationalFacts = {
    centres: [
      { kind: 'state', provinceCode: 'KH-2', status: 'open', centres: 1, capacity: 200 },
      { kind: 'state', provinceCode: 'KH-17', status: 'open', centres: 1, capacity: 100 },
      { kind: 'private', provinceCode: 'KH-12', status: 'open', centres: 1, capacity: 50 },
      { kind: 'state', provinceCode: 'KH-5', status: 'planned', centres: 1, capacity: 120 },
    ],
    admissions: [
      stay('state', 'KH-2', 'compulsory_administrative', 60),
      stay('state', 'KH-2', 'voluntary', 6),
      stay('state', 'KH-17', 'compulsory_administrative', 30),
      stay('state', 'KH-17', 'voluntary', 2),
      stay('private', 'KH-12', 'voluntary', 20),
      stay('private', 'KH-12', 'court_ordered', 10),
    ],
    inCare: [
      stay('state', 'KH-2', 'compulsory_administrative', 150),
      stay('state', 'KH-2', 'court_ordered', 12),
      stay('state', 'KH-17', 'compulsory_administrative', 80),
      stay('private', 'KH-12', 'voluntary', 3),
      stay('private', 'KH-12', 'court_ordered', 9),
    ],
    discharges: [stay('state', 'KH-2', 'completed', 10), stay('private', 'KH-12', 'left_against_advice', 8)],
    referrals: [
      { provinceCode: 'KH-12', disposition: 'referred_treatment_voluntary', n: 30 },
      { provinceCode: 'KH-12', disposition: 'referred_treatment_compulsory', n: 12 },
      { provinceCode: 'KH-3', disposition: 'referred_treatment_compulsory', n: 7 },
      { provinceCode: 'KH-3', disposition: 'referred_treatment_voluntary', n: 9 },
      { provinceCode: 'KH-2', disposition: 'referred_treatment_compulsory', n: 25 },
      { provinceCode: 'KH-2', disposition: 'sent_to_court', n: 99 }, // not a referral to treatment
    ],
  };
  const v = nationalView({ from: '2025-01-01', to: '2025-03-31' }, facts);

  it('has the contract shape: rows by kind and by the 25 provinces, asOf = to', () => {
    expect(v.asOf).toBe('2025-03-31');
    expect(v.byKind.rows).toEqual(['state', 'private', 'ngo', 'community', 'prison_health']);
    expect(v.byProvince.rows).toEqual(PROVINCE_CODES);
    expect(v.byKind.admissions.cells[0]).toHaveLength(3);
    expect(v.byKind.discharges.cells[0]).toHaveLength(6);
    expect(v.referrals.columns).toEqual(['referred_treatment_voluntary', 'referred_treatment_compulsory']);
    expect(v.byKind.centres).toEqual([2, 1, 0, 0, 0]);
    expect(v.byKind.capacity).toEqual([300, 50, 0, 0, 0]);
    expect(v.byKind.plannedCapacity).toEqual([120, 0, 0, 0, 0]);
  });

  it('suppresses small counts: the province with 2 voluntary admissions shows "<5", with a second hidden member', () => {
    const i = PROVINCE_CODES.indexOf('KH-17');
    expect(v.byProvince.admissions.cells[i][0]).toBe(SMALL);
    noLoneHidden(v.byProvince.admissions);
    noLoneHidden(v.byKind.admissions);
    expect(v.byProvince.shareVoluntary[i]).toBeNull();
    // private: 20 of 30 voluntary, all shown
    expect(v.byKind.shareVoluntary[1]).toBeCloseTo(20 / 30);
    // 3 voluntary clients in care at the private centre: "<5"; its row total (12) is published, so is its occupancy
    expect(v.byKind.inCare.cells[1][0]).toBe(SMALL);
    expect(v.byKind.inCare.rowTotals[1]).toBe(12);
    expect(v.byKind.occupancy[1]).toBeCloseTo(12 / 50);
    expect(v.byKind.occupancy[0]).toBeCloseTo(242 / 300);
    noLoneHidden(v.byKind.inCare);
    noLoneHidden(v.byProvince.inCare);
  });

  it('the shared totals of the by-kind and by-province tables agree (or the table is withheld)', () => {
    for (const t of ['admissions', 'inCare', 'discharges'] as const) {
      const a = v.byKind[t];
      const b = v.byProvince[t];
      if (a.withheld || b.withheld) continue;
      expect(a.columnTotals.map(isHidden)).toEqual(b.columnTotals.map(isHidden));
      expect(isHidden(a.total)).toBe(isHidden(b.total));
    }
  });

  it('referrals by province next to capacity; noCentre where people are referred but no centre is open', () => {
    const r = v.referrals;
    const at = (p: string) => PROVINCE_CODES.indexOf(p);
    expect(r.persons.cells[at('KH-12')]).toEqual([30, 12]);
    expect(r.persons.rowTotals[at('KH-12')]).toBe(42);
    expect(r.capacity[at('KH-12')]).toBe(50);
    expect(r.referralsPerPlace[at('KH-12')]).toBeCloseTo(42 / 50);
    expect(r.noCentre[at('KH-12')]).toBe(false);
    expect(r.noCentre[at('KH-3')]).toBe(true);
    expect(r.referralsPerPlace[at('KH-3')]).toBeNull();
    expect(r.persons.rowTotals[at('KH-2')]).toBe(25); // sent_to_court is not a referral
    expect(r.plannedCapacity[at('KH-5')]).toBe(120);
    expect(r.noCentre[at('KH-5')]).toBe(false); // nobody referred there
    expect(r.inCare).toEqual(v.byProvince.inCare.rowTotals);
  });

  it('CSV: one table as published, a rate not given left empty', () => {
    const kind = parseCsv(nationalCsv(v, 'kind'));
    expect(kind.header.slice(0, 5)).toEqual(['centre_kind', 'open_centres', 'capacity', 'planned_capacity', 'admissions_voluntary']);
    expect(kind.rows.map((r) => r.cells[0])).toEqual(['state', 'private', 'ngo', 'community', 'prison_health', 'total']);
    const privateRow = kind.rows[1].cells;
    const col = (name: string) => kind.header.indexOf(name);
    expect(privateRow[col('admissions_voluntary')]).toBe('20');
    expect(privateRow[col('share_voluntary')]).toBe(String(Math.round((20 / 30) * 10_000) / 10_000));
    expect(privateRow[col('in_care_voluntary')]).toBe('<5');
    expect(privateRow[col('in_care')]).toBe('12');
    expect(privateRow[col('occupancy')]).toBe('0.24');
    const kh17 = parseCsv(nationalCsv(v, 'province')).rows.find((r) => r.cells[0] === 'KH-17')!.cells;
    expect(kh17[col('admissions_voluntary')]).toBe('<5');
    expect(kh17[col('share_voluntary')]).toBe('');
    const prov = parseCsv(nationalCsv(v, 'province'));
    expect(prov.rows).toHaveLength(26);
    const ref = parseCsv(nationalCsv(v, 'referrals'));
    expect(ref.header).toEqual(['province_code', 'referred_treatment_voluntary', 'referred_treatment_compulsory', 'total', 'capacity', 'planned_capacity', 'in_care_on_2025-03-31', 'referrals_per_place', 'no_centre']);
    expect(ref.rows.find((r) => r.cells[0] === 'KH-3')!.cells.at(-1)).toBe('yes');
    for (const table of ['kind', 'province', 'referrals'] as const) expect(nationalCsv(v, table)).not.toMatch(/undefined|null|NaN/);
  });
});
