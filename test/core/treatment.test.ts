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
  breakdownRates,
  centreView,
  nationalCsv,
  nationalView,
  registerBy,
  shownCompletion,
  TREATMENT_MEASURES,
  TREATMENT_SPECS,
  weekBuckets,
  type PublishedTable,
} from '../../src/core/indicators/treatment.js';
import { allowedFilter, cellLines, HIDDEN, SMALL, type Shown } from '../../src/core/disclosure.js';
import { quarterPeriod, monthPeriod } from '../../src/core/periods.js';
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
        { legalBasis: 'voluntary', referralSource: 'self', n: 2 },
        { legalBasis: 'compulsory_administrative', referralSource: 'police', n: 5 },
      ],
      discharges: [
        { reason: 'completed', n: 1 },
        { reason: 'transferred', n: 1 },
      ],
      clients: [
        { dimension: 'sex', value: 'male', n: 6 },
        { dimension: 'sex', value: 'female', n: 1 },
        { dimension: 'age_band', value: '25_34', n: 7 },
        { dimension: 'primary_drug', value: 'heroin', n: 7 },
      ],
      weekly: [
        { week: 0, admissions: 2, discharges: 0 },
        { week: 0, admissions: 0, discharges: 1 },
        { week: 1, admissions: 5, discharges: 1 },
        { week: 7, admissions: 9, discharges: 0 }, // outside the range: ignored
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
    expect(v.bySex.male).toBe(6);
    expect(v.bySex.female).toBe(1);
    expect(v.byAgeBand['25_34']).toBe(7);
    expect(v.byPrimaryDrug.heroin).toBe(7);
    const empty = centreView({ ...centre, capacity: 0 }, { from: '2025-01-01', to: '2025-01-10' }, TODAY, { inCareToday: 0, admissions: [], discharges: [], clients: [], weekly: [] });
    expect(empty.occupancy).toBeNull();
    expect(empty.shareVoluntary).toBeNull();
    expect(empty.completionRate).toBeNull();
    expect(empty.overCapacity).toBe(false);
  });
});

/** A released table from given published values (the shape releaseTable gives). */
function table(rows: string[], columns: string[], cells: Shown[][], rowTotals: Shown[], columnTotals: Shown[], total: Shown): PublishedTable {
  return { rows, columns, cells, rowTotals, columnTotals, total, withheld: false, crossed: true };
}
const zeros = (r: number, c: number): Shown[][] => Array.from({ length: r }, () => new Array<Shown>(c).fill(0));

describe('national view (from released tables)', () => {
  it('the measures: released by the tables the view publishes, nothing finer', () => {
    const A = TREATMENT_MEASURES.admissions;
    expect(allowedFilter(A, { kind: 'state', legal_basis: 'compulsory_administrative' })).toBe(true);
    expect(allowedFilter(A, { province: 'KH-2', legal_basis: 'voluntary' })).toBe(true);
    expect(allowedFilter(A, { kind: 'state', province: 'KH-2' })).toBe(false); // no kind × province
    expect(allowedFilter(TREATMENT_MEASURES.inCare, { kind: 'state', referral_source: 'police' })).toBe(false);
    expect(TREATMENT_MEASURES.inCare.additiveInTime).toBe(false);
    expect(TREATMENT_SPECS.get('treatment_admissions')).toBe(A);
    // a state centre's compulsory admissions in a quarter are checked against their own months only: a private
    // centre's small count is in none of their lines (issue 9, point 3)
    const cell = { measure: A.id, period: quarterPeriod(2026, 4), filter: { kind: 'state', legal_basis: 'compulsory_administrative' } };
    const lines = cellLines(TREATMENT_SPECS, cell);
    expect(lines).toHaveLength(1);
    expect(lines[0].map((c) => c.period.key)).toEqual([10, 11, 12].map((m) => monthPeriod(2026, m).key));
    expect(lines[0].every((c) => c.filter.kind === 'state')).toBe(true);
  });

  it('rates only of published counts; completion is completed ÷ (discharges − transfers) of published numbers', () => {
    expect(shownCompletion(10, 5, 25)).toBeCloseTo(0.5);
    expect(shownCompletion(10, SMALL, 25)).toBeNull();
    expect(shownCompletion(HIDDEN, 0, 25)).toBeNull();
    expect(shownCompletion(5, 5, 5)).toBeNull(); // nothing ended here
    expect(shownCompletion(15, 0, 10)).toBe(1); // rounding never gives more than all
    const r = breakdownRates({
      admissions: table(['a', 'b'], ['voluntary', 'compulsory_administrative', 'court_ordered'], [[10, 80, 20], [SMALL, 10, 0]], [110, 15], [15, 90, 20], 125),
      inCare: table(['a', 'b'], [], [[0, 0, 0], [0, 0, 0]], [50, HIDDEN], [], 55),
      discharges: table(['a', 'b'], [], [[10, 5, 5, 0, 0, 0], [5, 0, 0, 0, 0, 0]], [20, 5], [], 25),
      capacity: [100, 0],
    });
    expect(r.shareVoluntary[0]).toBeCloseTo(10 / 110);
    expect(r.shareVoluntary[1]).toBeNull();
    expect(r.occupancy).toEqual([0.5, null]);
    expect(r.completion[0]).toBeCloseTo(10 / 15);
    expect(r.completion[1]).toBe(1);
  });

  it('registerBy counts open centres and capacity, planned capacity apart, closed centres not at all', () => {
    const reg = registerBy(['state', 'private'], 'kind', [
      { kind: 'state', provinceCode: 'KH-2', status: 'open', centres: 2, capacity: 100 },
      { kind: 'state', provinceCode: 'KH-5', status: 'planned', centres: 1, capacity: 120 },
      { kind: 'private', provinceCode: 'KH-12', status: 'closed', centres: 1, capacity: 30 },
      { kind: 'ngo', provinceCode: 'KH-12', status: 'open', centres: 1, capacity: 30 },
    ]);
    expect(reg).toEqual({ centres: [2, 0], capacity: [100, 0], plannedCapacity: [120, 0] });
  });

  it('shapes the view: the period, in care as of its last day (today while it runs), referrals flagged where no centre is open', () => {
    const kinds = ['state', 'private', 'ngo', 'community', 'prison_health'];
    const byKind = (c: number) => table(kinds, [], zeros(5, c), [40, 0, 0, 0, 0], [], 40);
    const byProvince = (c: number) => table(PROVINCE_CODES, [], zeros(25, c), PROVINCE_CODES.map(() => 0), [], 40);
    const referrals = table(PROVINCE_CODES, ['referred_treatment_voluntary', 'referred_treatment_compulsory'], zeros(25, 2), PROVINCE_CODES.map((p) => (p === 'KH-9' ? 10 : p === 'KH-3' ? SMALL : 0)), [5, 5], 10);
    const t = { admissions: byKind(3), inCare: byKind(3), discharges: byKind(6) };
    const p = { admissions: byProvince(3), inCare: byProvince(3), discharges: byProvince(6) };
    const centres = [{ kind: 'state', provinceCode: 'KH-3', status: 'open', centres: 1, capacity: 50 }];
    const v = nationalView(monthPeriod(2025, 6), TODAY, centres, { byKind: t, byProvince: p, byReferralSource: table(kinds, [], zeros(5, 7), [40, 0, 0, 0, 0], [], 40), referrals });
    expect(v.period).toEqual({ type: 'month', spec: '2025-06', from: '2025-06-01', to: '2025-06-30' });
    expect(v.asOf).toBe(TODAY); // 15 June: the month is not over
    expect(nationalView(monthPeriod(2025, 5), TODAY, centres, { byKind: t, byProvince: p, byReferralSource: t.admissions, referrals }).asOf).toBe('2025-05-31');
    expect(v.referrals.noCentre.filter(Boolean)).toHaveLength(1);
    expect(v.referrals.noCentre[PROVINCE_CODES.indexOf('KH-9')]).toBe(true);
    expect(v.referrals.referralsPerPlace[PROVINCE_CODES.indexOf('KH-3')]).toBeNull(); // "<5" of 50 places: no rate
    expect(v.byKind.occupancy[0]).toBeCloseTo(40 / 50);
    const csv = parseCsv(nationalCsv(v, 'referrals'));
    expect(csv.rows.find((r) => r.cells[0] === 'KH-3')!.cells[csv.header.indexOf('total')]).toBe('<5');
    expect(parseCsv(nationalCsv(v, 'kind')).header).toContain('in_care');
    expect(parseCsv(nationalCsv(v, 'referral_source')).rows).toHaveLength(6);
  });
});
