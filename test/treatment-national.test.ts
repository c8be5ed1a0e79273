/**
 * THE acceptance test of the treatment pillar (issue 5). The news report: "Cambodia currently has seven state-run and
 * three private rehab centers, which have come under criticism for being compulsory". Ten centres are built through
 * the API (7 state, compulsory; 3 private, mixed or voluntary), each run by its own health organisation, with
 * admissions (voluntary and compulsory) and discharges recorded by each centre's staff. Then:
 *  - the national view gives the share voluntary and the occupancy per centre kind, equal to what the stays give;
 *  - a province with 1–4 admissions is shown as "<5", with secondary suppression so that it cannot be recovered;
 *  - the centre's own staff see the exact (small) figures through the centre view;
 *  - enforcement persons referred to treatment appear per province next to the capacity there.
 * Every expected figure is computed here from the stays and cases this test records, never typed in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import { addDays } from '../src/core/dates.js';
import { PROVINCE_CODES } from '../src/core/geography.js';
import { inCareOn, LEGAL_BASES, type LegalBasis } from '../src/core/treatment.js';
import { HIDDEN, isHidden, SMALL, type Published, type SuppressedTable } from '../src/core/suppression.js';
import { parseCsv } from '../src/core/csv.js';
import { admissionBody, admit, centreOrg, createCentre, discharge, nextUic } from './treatment-helpers.js';
import { createCase, policeOrg } from './enforcement-helpers.js';

const FROM = '2025-01-06';
const TO = addDays(FROM, 83); // twelve weeks
const RANGE = `from=${FROM}&to=${TO}`;

interface Plan {
  name: string;
  kind: 'state' | 'private' | 'community';
  provinceCode: string;
  capacity: number;
  policy: 'compulsory' | 'mixed' | 'voluntary';
  /** admissions per legal basis */
  stays: Partial<Record<LegalBasis, number>>;
}
/** The news report's ten centres: seven state-run (compulsory) and three private. Pailin's has three admissions. */
const PLAN: Plan[] = [
  { name: 'State centre, Battambang', kind: 'state', provinceCode: 'KH-2', capacity: 40, policy: 'compulsory', stays: { compulsory_administrative: 14, court_ordered: 4, voluntary: 1 } },
  { name: 'State centre, Phnom Penh', kind: 'state', provinceCode: 'KH-12', capacity: 60, policy: 'compulsory', stays: { compulsory_administrative: 16, court_ordered: 5, voluntary: 3 } },
  { name: 'State centre, Siem Reap', kind: 'state', provinceCode: 'KH-17', capacity: 30, policy: 'compulsory', stays: { compulsory_administrative: 10, court_ordered: 2 } },
  { name: 'State centre, Preah Sihanouk', kind: 'state', provinceCode: 'KH-18', capacity: 25, policy: 'compulsory', stays: { compulsory_administrative: 9, court_ordered: 3, voluntary: 2 } },
  { name: 'State centre, Banteay Meanchey', kind: 'state', provinceCode: 'KH-1', capacity: 30, policy: 'compulsory', stays: { compulsory_administrative: 11, court_ordered: 2, voluntary: 1 } },
  { name: 'State centre, Kampong Cham', kind: 'state', provinceCode: 'KH-3', capacity: 20, policy: 'compulsory', stays: { compulsory_administrative: 8, court_ordered: 2 } },
  { name: 'State centre, Kandal', kind: 'state', provinceCode: 'KH-8', capacity: 35, policy: 'compulsory', stays: { compulsory_administrative: 12, court_ordered: 3, voluntary: 2 } },
  { name: 'Private centre, Phnom Penh', kind: 'private', provinceCode: 'KH-12', capacity: 20, policy: 'mixed', stays: { voluntary: 8, court_ordered: 4 } },
  { name: 'Private centre, Siem Reap', kind: 'private', provinceCode: 'KH-17', capacity: 15, policy: 'voluntary', stays: { voluntary: 6 } },
  { name: 'Private centre, Pailin', kind: 'private', provinceCode: 'KH-24', capacity: 10, policy: 'mixed', stays: { voluntary: 2, court_ordered: 1 } },
];
const REASONS = ['completed', 'left_against_advice', 'completed', 'transferred', 'moved'] as const;

interface Stay {
  centre: number;
  kind: string;
  provinceCode: string;
  legalBasis: LegalBasis;
  admittedOn: string;
  dischargedOn: string | null;
  reason: string | null;
}

let t: TestApp;
const staff: Client[] = [];
const centres: any[] = [];
const stays: Stay[] = [];
let analyst: Client;
let clerk: Client;
let education: Client;
const referred: Record<string, [number, number]> = {};

async function recordStays(c: number, plan: Plan) {
  let k = 0;
  for (const basis of LEGAL_BASES) {
    for (let i = 0; i < (plan.stays[basis] ?? 0); i++, k++) {
      const admittedOn = addDays(FROM, (k * 5 + c * 3) % 70);
      const body = admissionBody(centres[c].id, {
        uic: nextUic(k % 4 === 0 ? 'F' : 'M'),
        admittedOn,
        legalBasis: basis,
        consentRecorded: basis === 'voluntary',
        referralSource: basis === 'voluntary' ? 'self' : basis === 'court_ordered' ? 'court' : 'police',
      });
      const a = await admit(staff[c], body);
      let dischargedOn: string | null = null;
      let reason: string | null = null;
      if (k % 3 === 0) {
        dischargedOn = addDays(admittedOn, 10 + (k % 4));
        reason = REASONS[(k / 3) % REASONS.length];
        await discharge(staff[c], a, dischargedOn, reason);
      }
      stays.push({ centre: c, kind: plan.kind, provinceCode: plan.provinceCode, legalBasis: basis, admittedOn, dischargedOn, reason });
    }
  }
}

beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: 100_000 });
  for (const [c, plan] of PLAN.entries()) {
    const org = await centreOrg(t, `${plan.name} (organisation)`, plan.kind === 'state' ? 'state_treatment_centre' : 'private_treatment_centre', plan.provinceCode);
    staff.push(await t.user('treatment_staff', org));
    centres.push(await createCentre(t, org, { name: plan.name, kind: plan.kind, modality: 'residential', admissionPolicy: plan.policy, capacity: plan.capacity, provinceCode: plan.provinceCode }));
    await recordStays(c, plan);
  }
  // a proposed centre: its capacity is planned capacity, not capacity
  await createCentre(t, await centreOrg(t, 'Proposed centre org', 'state_treatment_centre', 'KH-5'), { name: 'Proposed centre, Kampong Speu', kind: 'state', capacity: 120, provinceCode: 'KH-5', status: 'planned' });

  // enforcement: persons referred to treatment, by the case's province
  const police = await policeOrg(t, 'National test police unit');
  clerk = await t.user('enforcement_clerk', police);
  const person = (disposition: string) => ({ role: 'alleged_user', sex: 'male', ageBand: '25_34', nationality: 'KH', disposition });
  const cases: [string, string, string[], boolean][] = [
    // province, occurred on, dispositions, voided
    ['KH-12', addDays(FROM, 3), ['referred_treatment_compulsory', 'referred_treatment_compulsory', 'referred_treatment_voluntary', 'sent_to_court'], false],
    ['KH-12', addDays(FROM, 20), ['referred_treatment_compulsory', 'referred_treatment_compulsory', 'referred_treatment_compulsory', 'referred_treatment_voluntary', 'referred_treatment_voluntary'], false],
    ['KH-12', addDays(FROM, 40), ['referred_treatment_voluntary', 'referred_treatment_voluntary', 'referred_treatment_compulsory'], false],
    ['KH-9', addDays(FROM, 10), ['referred_treatment_compulsory', 'referred_treatment_compulsory', 'referred_treatment_compulsory', 'referred_treatment_compulsory', 'referred_treatment_compulsory', 'referred_treatment_compulsory'], false],
    ['KH-9', addDays(FROM, 11), ['referred_treatment_voluntary', 'referred_treatment_voluntary', 'referred_treatment_voluntary', 'referred_treatment_voluntary', 'referred_treatment_voluntary'], false],
    ['KH-2', addDays(FROM, 12), ['referred_treatment_compulsory', 'referred_treatment_compulsory', 'pending'], false],
    ['KH-2', addDays(FROM, 13), ['referred_treatment_compulsory', 'referred_treatment_compulsory', 'referred_treatment_compulsory', 'referred_treatment_compulsory', 'referred_treatment_voluntary'], true], // voided
    ['KH-2', addDays(FROM, -1), ['referred_treatment_compulsory', 'referred_treatment_compulsory', 'referred_treatment_compulsory', 'referred_treatment_compulsory', 'referred_treatment_compulsory'], false], // before the range
  ];
  for (const [provinceCode, occurredOn, dispositions, voided] of cases) {
    const k = await createCase(clerk, { provinceCode, occurredOn, reportedOn: occurredOn, caseType: 'possession', persons: dispositions.map(person), seizures: [] });
    if (voided) expect((await clerk.post(`/api/cases/${k.id}/void`, { reason: 'entered_in_error' })).statusCode).toBe(200);
    else if (occurredOn >= FROM && occurredOn <= TO) {
      referred[provinceCode] ??= [0, 0];
      for (const d of dispositions) {
        if (d === 'referred_treatment_voluntary') referred[provinceCode][0]++;
        if (d === 'referred_treatment_compulsory') referred[provinceCode][1]++;
      }
    }
  }
  analyst = await t.user('analyst', await t.org('oversight', 'national_committee', 'National test committee'));
  education = await t.user('education_officer', await t.org('education', 'education_office', 'National test education office'));
}, 600_000);
afterAll(() => t.close());

const KINDS = ['state', 'private', 'ngo', 'community', 'prison_health'];
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const count = (f: (s: Stay) => boolean) => stays.filter(f).length;
const capacityOf = (f: (p: Plan) => boolean) => sum(PLAN.filter(f).map((p) => p.capacity));

/** The reader's check on a line (cells and their total): the hidden members cannot be pinned by subtraction. */
function lineSafe(members: Published[], total: Published, truth: number[], trueTotal: number) {
  const hidden = [...members.map((m, i) => [m, truth[i], 1] as const), [total, trueTotal, -1] as const].filter(([m]) => isHidden(m));
  if (hidden.length === 0) return;
  expect(hidden.length, `a line with one hidden member: ${JSON.stringify([members, total])}`).toBeGreaterThan(1);
  // what the hidden members must add up to (cells − total), and the range the marks allow
  const known = members.reduce<number>((s, m) => s + (isHidden(m) ? 0 : (m as number)), 0) - (isHidden(total) ? 0 : (total as number));
  let lo = 0;
  let hi = 0;
  for (const [m, , sign] of hidden) {
    const [a, b] = m === SMALL ? [1, 4] : [5, Infinity];
    if (sign > 0) [lo, hi] = [lo + a, hi + b];
    else [lo, hi] = [lo - b, hi - a];
  }
  expect(-known, `hidden members pinned at an end of their range: ${JSON.stringify([members, total])}`).toBeGreaterThan(lo);
  expect(-known).toBeLessThan(hi);
}
function tableSafe(t: SuppressedTable, truth: number[][]) {
  if (t.withheld) return;
  const rowTotals = truth.map(sum);
  const colTotals = truth[0].map((_, j) => sum(truth.map((r) => r[j])));
  t.cells.forEach((r, i) => lineSafe(r, t.rowTotals[i], truth[i], rowTotals[i]));
  t.columnTotals.forEach((c, j) => lineSafe(t.cells.map((r) => r[j]), c, truth.map((r) => r[j]), colTotals[j]));
  lineSafe(t.columnTotals, t.total, colTotals, sum(colTotals));
  lineSafe(t.rowTotals, t.total, rowTotals, sum(rowTotals));
}

/** The exact admissions table (rows × legal bases) the stays give. */
function admissionsBy(rows: string[], key: (s: Stay) => string): number[][] {
  return rows.map((r) => LEGAL_BASES.map((b) => count((s) => key(s) === r && s.legalBasis === b && s.admittedOn >= FROM && s.admittedOn <= TO)));
}

describe('the national treatment view (the news report\'s ten centres)', () => {
  it('every signed-in role gets the same suppressed view; share voluntary per kind equals the stays\' where published', async () => {
    const bodies = await Promise.all([t.admin, analyst, clerk, education, staff[0], staff[9]].map((c) => c.get(`/api/treatment/national?${RANGE}`)));
    for (const b of bodies) expect(b.statusCode, b.body).toBe(200);
    expect(new Set(bodies.map((b) => b.body)).size, 'the same view for every role, own centre or not').toBe(1);
    const v = bodies[0].json();
    expect(v.range).toEqual({ from: FROM, to: TO });
    expect(v.asOf).toBe(TO);
    expect(v.byKind.rows).toEqual(KINDS);

    expect(v.byKind.centres).toEqual(KINDS.map((k) => PLAN.filter((p) => p.kind === k).length));
    expect(v.byKind.centres.slice(0, 2)).toEqual([7, 3]);
    expect(v.byKind.capacity).toEqual(KINDS.map((k) => capacityOf((p) => p.kind === k)));
    expect(v.byKind.plannedCapacity).toEqual([120, 0, 0, 0, 0]);

    const truth = admissionsBy(KINDS, (s) => s.kind);
    expect(v.byKind.admissions.withheld).toBe(false);
    tableSafe(v.byKind.admissions, truth);
    let published = 0;
    KINDS.forEach((k, i) => {
      const total = sum(truth[i]);
      const expected = total ? truth[i][0] / total : null;
      if (v.byKind.shareVoluntary[i] !== null) {
        published++;
        expect(v.byKind.shareVoluntary[i], k).toBeCloseTo(expected!, 10);
      } else expect(isHidden(v.byKind.admissions.cells[i][0]) || isHidden(v.byKind.admissions.rowTotals[i]) || total === 0, k).toBe(true);
    });
    // state and private: no small cell, so both are published (the policy question of the brief)
    expect(published).toBe(2);
    expect(v.byKind.shareVoluntary[0]).toBeLessThan(v.byKind.shareVoluntary[1]);
    expect(v.byKind.admissions.cells[0]).toEqual(truth[0]);
    expect(v.byKind.admissions.cells[1]).toEqual(truth[1]);
  });

  it('occupancy per kind: in care on the last day ÷ the capacity of open centres', async () => {
    const v = (await analyst.get(`/api/treatment/national?${RANGE}`)).json();
    const inCare = KINDS.map((k) => LEGAL_BASES.map((b) => count((s) => s.kind === k && s.legalBasis === b && inCareOn(s, TO))));
    tableSafe(v.byKind.inCare, inCare);
    for (const [i, k] of ['state', 'private'].entries()) {
      const expected = sum(inCare[i]) / capacityOf((p) => p.kind === k);
      expect(v.byKind.inCare.rowTotals[i]).toBe(sum(inCare[i]));
      expect(v.byKind.occupancy[i], k).toBeCloseTo(expected, 10);
    }
    expect(v.byKind.occupancy.slice(2)).toEqual([null, null, null]); // no capacity
    // completion per kind from the discharges, where published
    const reasons = ['completed', 'left_against_advice', 'transferred', 'moved', 'died', 'other'];
    const dis = KINDS.map((k) => reasons.map((r) => count((s) => s.kind === k && s.reason === r && s.dischargedOn! >= FROM && s.dischargedOn! <= TO)));
    tableSafe(v.byKind.discharges, dis);
    KINDS.forEach((k, i) => {
      if (v.byKind.completion[i] === null) return;
      expect(v.byKind.completion[i], k).toBeCloseTo(dis[i][0] / (sum(dis[i]) - dis[i][2]), 10);
    });
  });

  it('a province with 1–4 admissions is shown as "<5", and secondary suppression keeps it from being recovered', async () => {
    const v = (await analyst.get(`/api/treatment/national?${RANGE}`)).json();
    expect(v.byProvince.rows).toEqual(PROVINCE_CODES);
    const truth = admissionsBy(PROVINCE_CODES, (s) => s.provinceCode);
    const pailin = PROVINCE_CODES.indexOf('KH-24');
    expect(sum(truth[pailin])).toBeGreaterThanOrEqual(1);
    expect(sum(truth[pailin])).toBeLessThanOrEqual(4);
    expect(v.byProvince.admissions.rowTotals[pailin]).toBe(SMALL);
    for (const [j, n] of truth[pailin].entries()) expect(v.byProvince.admissions.cells[pailin][j]).toBe(n === 0 ? 0 : SMALL);
    expect(v.byProvince.shareVoluntary[pailin]).toBeNull();
    // secondary suppression: its column has another hidden member; the hidden ones cannot be pinned from the totals
    const vol = v.byProvince.admissions.cells.map((r: Published[]) => r[0]);
    expect(vol.filter((x: Published) => x === HIDDEN).length).toBeGreaterThan(0);
    tableSafe(v.byProvince.admissions, truth);
    tableSafe(v.byProvince.inCare, PROVINCE_CODES.map((p) => LEGAL_BASES.map((b) => count((s) => s.provinceCode === p && s.legalBasis === b && inCareOn(s, TO)))));
    // every count 1–4 anywhere in the view is "<5", in every table
    const check = (t: SuppressedTable, truthT: number[][]) =>
      truthT.forEach((r, i) => r.forEach((n, j) => n >= 1 && n <= 4 && expect(t.cells[i][j], `${i},${j}`).toBe(SMALL)));
    check(v.byProvince.admissions, truth);
    // the two tables by kind and by province agree on what they hide of their shared totals
    for (const table of ['admissions', 'inCare', 'discharges']) {
      // (a table that hides a total the other shows is withheld: only its grand total is published)
      if (v.byKind[table].withheld || v.byProvince[table].withheld) {
        const withheld = v.byKind[table].withheld ? v.byKind[table] : v.byProvince[table];
        expect([...withheld.cells.flat(), ...withheld.rowTotals, ...withheld.columnTotals].every((x: Published) => x === HIDDEN)).toBe(true);
        expect(withheld.total).toBe(v.byKind[table].withheld ? v.byProvince[table].total : v.byKind[table].total);
        continue;
      }
      expect(v.byKind[table].columnTotals.map(isHidden)).toEqual(v.byProvince[table].columnTotals.map(isHidden));
      expect(isHidden(v.byKind[table].total)).toBe(isHidden(v.byProvince[table].total));
    }
    // capacity is not people: exact, even for Pailin
    expect(v.byProvince.capacity[pailin]).toBe(10);
    expect(v.byProvince.centres[pailin]).toBe(1);
    expect(v.byProvince.plannedCapacity[PROVINCE_CODES.indexOf('KH-5')]).toBe(120);
  });

  it('the centre\'s own staff see the exact (small) figures through the centre view', async () => {
    const c = PLAN.findIndex((p) => p.provinceCode === 'KH-24');
    const res = await staff[c].get(`/api/treatment/centres/${centres[c].id}/view?${RANGE}`);
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    const mine = stays.filter((s) => s.centre === c);
    expect(view.admissions).toBe(mine.length);
    expect(view.admissions).toBeLessThan(5);
    expect(view.byLegalBasis).toEqual(Object.fromEntries(LEGAL_BASES.map((b) => [b, mine.filter((s) => s.legalBasis === b).length])));
    expect(view.shareVoluntary).toBeCloseTo(mine.filter((s) => s.legalBasis === 'voluntary').length / mine.length, 10);
    expect(view.discharges).toBe(mine.filter((s) => s.dischargedOn && s.dischargedOn <= TO).length);
    expect(view.capacity).toBe(PLAN[c].capacity);
    expect(sum(view.weeks.map((w: { admissions: number }) => w.admissions))).toBe(mine.length);
    expect(view.weeks).toHaveLength(12);
    // and another centre's staff cannot see it
    expect((await staff[0].get(`/api/treatment/centres/${centres[c].id}/view?${RANGE}`)).statusCode).toBe(404);
  });

  it('referrals to treatment from enforcement cases, per province, next to capacity', async () => {
    const v = (await analyst.get(`/api/treatment/national?${RANGE}`)).json();
    const r = v.referrals;
    expect(r.rows).toEqual(PROVINCE_CODES);
    expect(r.columns).toEqual(['referred_treatment_voluntary', 'referred_treatment_compulsory']);
    const truth = PROVINCE_CODES.map((p) => referred[p] ?? [0, 0]);
    tableSafe(r.persons, truth);
    for (const p of ['KH-12', 'KH-9', 'KH-2']) {
      const i = PROVINCE_CODES.indexOf(p);
      const n = sum(truth[i]);
      // 1–4 is "<5"; 5 or more is the number, or "*" when secondary suppression needed it
      expect(r.persons.rowTotals[i], p).toBe(n >= 5 ? (r.persons.rowTotals[i] === HIDDEN ? HIDDEN : n) : SMALL);
      expect(r.capacity[i], p).toBe(capacityOf((x) => x.provinceCode === p));
      expect(r.noCentre[i], p).toBe(r.capacity[i] === 0);
      if (r.capacity[i] > 0) expect(r.referralsPerPlace[i], p).toBe(isHidden(r.persons.rowTotals[i]) ? null : n / r.capacity[i]);
    }
    // Koh Kong: people referred, no centre open
    const kk = PROVINCE_CODES.indexOf('KH-9');
    expect(r.noCentre[kk]).toBe(true);
    expect(r.referralsPerPlace[kk]).toBeNull();
    expect(referred['KH-9']).toEqual([5, 6]);
    // Phnom Penh's 13 people are published exactly, next to its 80 places
    const pp = PROVINCE_CODES.indexOf('KH-12');
    expect(r.persons.rowTotals[pp]).toBe(sum(referred['KH-12']));
    expect(r.referralsPerPlace[pp]).toBeCloseTo(sum(referred['KH-12']) / capacityOf((x) => x.provinceCode === 'KH-12'), 10);
    // Battambang: the voided case and the case before the range do not count
    expect(referred['KH-2']).toEqual([0, 2]);
    expect(r.persons.rowTotals[PROVINCE_CODES.indexOf('KH-2')]).toBe(SMALL);
    // in care next to it is the by-province figure
    expect(r.inCare).toEqual(v.byProvince.inCare.rowTotals);
    expect(r.noCentre.filter(Boolean)).toHaveLength(1);
  });

  it('CSV export of each table as published, as an attachment', async () => {
    const v = (await analyst.get(`/api/treatment/national?${RANGE}`)).json();
    for (const table of ['kind', 'province', 'referrals']) {
      const res = await analyst.get(`/api/treatment/national.csv?${RANGE}&table=${table}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="tonle-treatment-${table}-${FROM}-${TO}.csv"`);
      const csv = parseCsv(res.body);
      expect(csv.rows.length).toBe((table === 'kind' ? 5 : 25) + 1);
    }
    const kind = parseCsv((await analyst.get(`/api/treatment/national.csv?${RANGE}&table=kind`)).body);
    const state = kind.rows[0].cells;
    expect(state[kind.header.indexOf('admissions_voluntary')]).toBe(String(v.byKind.admissions.cells[0][0]));
    expect(Number(state[kind.header.indexOf('share_voluntary')])).toBeCloseTo(v.byKind.shareVoluntary[0], 4);
    const province = parseCsv((await analyst.get(`/api/treatment/national.csv?${RANGE}&table=province`)).body);
    expect(province.rows.find((r) => r.cells[0] === 'KH-24')!.cells[province.header.indexOf('admissions')]).toBe('<5');
    // query rules: strict, to not before from, table required
    for (const [q, path] of [
      [`${RANGE}`, 'query.table'],
      [`${RANGE}&table=people`, 'query.table'],
      [`from=${TO}&to=${FROM}&table=kind`, 'query.to'],
      [`${RANGE}&table=kind&uic=ABC`, 'query.uic'],
    ]) {
      const bad = await analyst.get(`/api/treatment/national.csv?${q}`);
      expect(bad.statusCode, q).toBe(400);
      expect(bad.json().error.fields.map((f: { path: string }) => f.path), q).toContain(path);
    }
  });

  it('default range: the twelve weeks up to today; at most five years', async () => {
    const def = (await analyst.get('/api/treatment/national')).json();
    expect(def.range.to).toBe(def.asOf);
    expect(def.range.from).toBe(addDays(def.range.to, -83));
    const long = await analyst.get('/api/treatment/national?from=2015-01-01&to=2024-01-01');
    expect(long.statusCode).toBe(400);
    expect(long.json().error.fields).toEqual([{ path: 'query.to', message: 'the range must be at most five years' }]);
    const inverted = await analyst.get(`/api/treatment/national?from=${TO}&to=${FROM}`);
    expect(inverted.json().error.fields).toEqual([{ path: 'query.to', message: 'must not be before from' }]);
    const badDate = await analyst.get('/api/treatment/national?from=2025-02-30');
    expect(badDate.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['query.from']);
  });

  it('a kind with 1–4 admissions is "<5" too, and its hidden cells cannot be recovered from the totals', async () => {
    // a community centre opens with two admissions: its kind row is small
    const org = await centreOrg(t, 'Community centre org (national test)', 'community_treatment_centre', 'KH-2');
    const s = await t.user('treatment_staff', org);
    const c = await createCentre(t, org, { name: 'Community centre, Battambang', kind: 'community', modality: 'community', admissionPolicy: 'voluntary', capacity: 15, provinceCode: 'KH-2' });
    for (const day of [5, 9]) {
      const admittedOn = addDays(FROM, day);
      await admit(s, admissionBody(c.id, { legalBasis: 'voluntary', consentRecorded: true, referralSource: 'outreach_ngo', admittedOn }));
      stays.push({ centre: 10, kind: 'community', provinceCode: 'KH-2', legalBasis: 'voluntary', admittedOn, dischargedOn: null, reason: null });
    }
    const v = (await analyst.get(`/api/treatment/national?${RANGE}`)).json();
    const community = KINDS.indexOf('community');
    expect(v.byKind.admissions.cells[community]).toEqual([SMALL, 0, 0]);
    expect(v.byKind.admissions.rowTotals[community]).toBe(SMALL);
    expect(v.byKind.shareVoluntary[community]).toBeNull();
    const truth = admissionsBy(KINDS, (x) => x.kind);
    tableSafe(v.byKind.admissions, truth);
    tableSafe(v.byProvince.admissions, admissionsBy(PROVINCE_CODES, (x) => x.provinceCode));
    // the voluntary column now has a second hidden member, so that 2 is not the total minus the others
    expect(v.byKind.admissions.cells.map((r: Published[]) => r[0]).filter(isHidden).length).toBeGreaterThanOrEqual(2);
    // every published share is still exact
    KINDS.forEach((k, i) => {
      if (v.byKind.shareVoluntary[i] !== null) expect(v.byKind.shareVoluntary[i], k).toBeCloseTo(truth[i][0] / sum(truth[i]), 10);
    });
    // its own staff see 2
    const own = (await s.get(`/api/treatment/centres/${c.id}/view?${RANGE}`)).json();
    expect(own.admissions).toBe(2);
    expect(own.byLegalBasis.voluntary).toBe(2);
    expect(own.shareVoluntary).toBe(1);
  });
});
