/**
 * THE acceptance test of the enforcement pillar: the first week of the campaign in the news report
 * (seed/000_001dc1892614d7f5.txt), imported by a police unit as CSV through the same route a unit uses, read back by
 * the national committee's analyst: 261 cases, 652 people arrested, 371 suspected traffickers, 281 alleged users,
 * about 70 people in Phnom Penh over the first weekend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import { countRows, createCampaign, importResult, ndjson } from './enforcement-helpers.js';
import { casesToCsv, seedFirstWeek, SEED_WEEK } from '../src/server/demo/enforcement-seed.js';
import { toKilograms, type QuantityUnit } from '../src/core/enforcement.js';
import { parseCsv } from '../src/core/csv.js';

const START = '2017-01-01';
const PRESS_EN = 'In the first 7 days of the campaign, 261 cases led to the arrest of 652 people: 371 suspected traffickers and 281 alleged users.';

let t: TestApp;
let clerk: Client;
let analyst: Client;
let auditor: Client;
let campaignId: string;
let firstImport: ReturnType<typeof importResult>;
let firstLines: any[];
let auditBefore: number;
const seed = seedFirstWeek(START);
const files = casesToCsv(seed);

beforeAll(async () => {
  t = await startTestApp();
  campaignId = await createCampaign(t, START, { nameEn: 'National anti-drug campaign 2017' });
  const unit = await t.org('enforcement', 'police_unit', 'Seed police unit');
  const committee = await t.org('oversight', 'national_committee', 'Seed committee');
  clerk = await t.user('enforcement_clerk', unit);
  analyst = await t.user('analyst', committee);
  auditor = await t.user('auditor', committee);
  auditBefore = (await countRows(t.db)).audit;
  const res = await clerk.post('/api/cases/import', files);
  firstLines = ndjson(res);
  firstImport = importResult(res);
});
afterAll(() => t.close());

const report = async (query: string, c: Client = analyst) => {
  const res = await c.get(`/api/enforcement/report?${query}`);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return res.json();
};

describe('the first week of the campaign, imported as CSV', () => {
  it('the seed itself adds up to the news report', () => {
    expect(seed).toHaveLength(SEED_WEEK.cases);
    const persons = seed.flatMap((c) => c.persons);
    expect(persons).toHaveLength(652);
    expect(persons.filter((p) => p.role === 'suspected_trafficker')).toHaveLength(371);
    expect(persons.filter((p) => p.role === 'alleged_user')).toHaveLength(281);
    // deterministic: the same call gives the same cases
    expect(seedFirstWeek(START)).toEqual(seed);
  });

  it('imports every case: 261 created, none updated, one row per person', () => {
    expect(firstImport).toEqual({ cases: 261, rows: 652, created: 261, updated: 0, unchanged: 0 });
    expect(firstLines[0]).toEqual({ done: 0, total: 261 });
    expect(firstLines.at(-2)).toEqual({ done: 261, total: 261 });
  });

  it('leaves one case.create audit entry per case and one case.import entry, and the chain verifies', async () => {
    const rows = await t.db.selectFrom('audit_log').select(['action', 'details']).orderBy('seq').execute();
    const created = rows.filter((r) => r.action === 'case.create');
    expect(created).toHaveLength(261);
    const imports = rows.filter((r) => r.action === 'case.import');
    expect(imports).toHaveLength(1);
    expect(imports[0].details).toMatchObject({ created: 261, unchanged: 0, updated: 0 });
    expect((await countRows(t.db)).audit).toBeGreaterThanOrEqual(auditBefore + 262);
    const v = (await auditor.get('/api/audit/verify')).json();
    expect(v.ok).toBe(true);
  });

  it('week 1 as the analyst: 261 cases, 652 persons, 371 traffickers, 281 users, and the press sentence', async () => {
    const r = await report(`campaignId=${campaignId}&period=week:1`);
    expect(r.range).toEqual({ from: '2017-01-01', to: '2017-01-07' });
    expect(r.totals).toMatchObject({ cases: 261, persons: 652, traffickers: 371, users: 281, others: 0 });
    expect(r.totals.female).toBe(seed.flatMap((c) => c.persons).filter((p) => p.sex === 'female').length);
    expect(r.press.en).toBe(PRESS_EN);
    for (const n of ['២៦១', '៦៥២', '៣៧១', '២៨១']) expect(r.press.km).toContain(n);
    expect(r.press.km).toContain('៧'); // "the first 7 days"
    expect(r.press.km).not.toMatch(/[0-9]/);
    expect(r.campaign).toMatchObject({ id: campaignId, startDate: START });
  });

  it('the daily series has the 7 days of the week, summing to 261 cases and 652 persons, as the seed has them', async () => {
    const r = await report(`campaignId=${campaignId}&period=week:1`);
    expect(r.daily.map((d: { date: string }) => d.date)).toEqual(['2017-01-01', '2017-01-02', '2017-01-03', '2017-01-04', '2017-01-05', '2017-01-06', '2017-01-07']);
    expect(r.daily.map((d: { day: number }) => d.day)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(r.daily.reduce((s: number, d: { cases: number }) => s + d.cases, 0)).toBe(261);
    expect(r.daily.reduce((s: number, d: { persons: number }) => s + d.persons, 0)).toBe(652);
    for (const d of r.daily) {
      const day = seed.filter((c) => c.occurredOn === d.date);
      expect(d.cases, d.date).toBe(day.length);
      expect(d.persons, d.date).toBe(day.reduce((s, c) => s + c.persons.length, 0));
      expect(d.traffickers + d.users + d.others, d.date).toBe(d.persons);
    }
  });

  it('every breakdown adds up to the totals and matches the seed (province, sex, nationality, disposition, seizures, assets)', async () => {
    const r = await report(`campaignId=${campaignId}&period=week:1`);
    const persons = seed.flatMap((c) => c.persons);
    const sum = (xs: { n: number }[]) => xs.reduce((s, x) => s + x.n, 0);
    for (const k of ['byRole', 'bySex', 'byAgeBand', 'byNationality', 'byDisposition']) expect(sum(r[k]), k).toBe(652);
    for (const { key, n } of r.byNationality) expect(n, key).toBe(persons.filter((p) => p.nationality === key).length);
    for (const { key, n } of r.byDisposition) expect(n, key).toBe(persons.filter((p) => p.disposition === key).length);
    expect(r.byProvince).toHaveLength(25);
    expect(r.byProvince.reduce((s: number, p: { cases: number }) => s + p.cases, 0)).toBe(261);
    expect(r.byProvince.reduce((s: number, p: { persons: number }) => s + p.persons, 0)).toBe(652);
    for (const p of r.byProvince) {
      const inP = seed.filter((c) => c.provinceCode === p.provinceCode);
      expect(p.cases, p.provinceCode).toBe(inP.length);
      expect(p.persons, p.provinceCode).toBe(inP.reduce((s, c) => s + c.persons.length, 0));
    }
    // seizures: per drug and unit, and kilograms where the unit allows it
    const kg = new Map<string, number>();
    for (const c of seed) for (const s of c.seizures) {
      const k = toKilograms(s.quantity, s.unit as QuantityUnit);
      if (k !== null) kg.set(s.drug, (kg.get(s.drug) ?? 0) + k);
    }
    expect(r.kgByDrug.map((x: { drug: string }) => x.drug).sort()).toEqual([...kg.keys()].sort());
    for (const { drug, kg: v } of r.kgByDrug) expect(v, drug).toBeCloseTo(kg.get(drug)!, 6);
    const tablets = seed.flatMap((c) => c.seizures).filter((s) => s.unit === 'tablets');
    const tabRow = r.seizures.find((s: { unit: string }) => s.unit === 'tablets');
    expect(tabRow.quantity).toBe(tablets.reduce((s, x) => s + x.quantity, 0));
    expect(tabRow.kg).toBeNull();
    const a = (f: keyof (typeof seed)[number]['assets']) => seed.reduce((s, c) => s + c.assets[f], 0);
    expect(r.assets).toEqual({ vehicles: a('vehicles'), motorcycles: a('motorcycles'), phones: a('phones'), cashKhr: a('cashKhr'), cashUsd: a('cashUsd'), weapons: a('weapons') });
  });

  it('Phnom Penh over the first weekend (days 1–2): 70 persons, however the period is asked for', async () => {
    for (const q of [`from=2017-01-01&to=2017-01-02&province=KH-12`, `campaignId=${campaignId}&period=days:1-2&province=KH-12`, `campaignId=${campaignId}&from=2017-01-01&to=2017-01-02&province=KH-12`]) {
      const r = await report(q);
      expect(r.totals.persons, q).toBe(70);
      expect(r.byProvince.find((p: { provinceCode: string }) => p.provinceCode === 'KH-12').persons, q).toBe(70);
      expect(r.byProvince.filter((p: { provinceCode: string; persons: number }) => p.provinceCode !== 'KH-12' && p.persons > 0), q).toEqual([]);
      expect(r.area).toEqual({ provinceCode: 'KH-12', districtCode: null });
    }
    // and without the province filter, KH-12 on days 1–2 is still 70 in the national table
    const all = await report(`campaignId=${campaignId}&period=days:1-2`);
    expect(all.byProvince.find((p: { provinceCode: string }) => p.provinceCode === 'KH-12').persons).toBe(70);
    expect(all.totals.persons).toBeGreaterThan(70);
  });

  it('days:1-7 and from/to give the same figures as week:1', async () => {
    const week = await report(`campaignId=${campaignId}&period=week:1`);
    const days = await report(`campaignId=${campaignId}&period=days:1-7`);
    const range = await report(`from=2017-01-01&to=2017-01-07`);
    const campaignRange = await report(`campaignId=${campaignId}&from=2017-01-01&to=2017-01-07`);
    const figures = ({ press: _p, campaign: _c, daily, ...rest }: any) => ({ ...rest, daily: daily.map(({ day: _d, ...x }: any) => x) });
    expect(figures(days)).toEqual(figures(week));
    expect(figures(range)).toEqual(figures(week));
    expect(figures(campaignRange)).toEqual(figures(week));
    expect(days.press.en).toBe(PRESS_EN);
    expect(campaignRange.press.en).toBe(PRESS_EN);
    expect(range.press.en).toBe('From 2017-01-01 to 2017-01-07, 261 cases led to the arrest of 652 people: 371 suspected traffickers and 281 alleged users.');
    expect(range.daily.every((d: { day: number | null }) => d.day === null)).toBe(true);
    // week 2 is empty, zero-filled
    const w2 = await report(`campaignId=${campaignId}&period=week:2`);
    expect(w2.totals).toMatchObject({ cases: 0, persons: 0 });
    expect(w2.daily).toHaveLength(7);
    expect(w2.press.en).toBe('In week 2 of the campaign (days 8–14), 0 cases led to the arrest of 0 people: 0 suspected traffickers and 0 alleged users.');
  });

  it('the CSV export (summary, province, daily) carries the same numbers', async () => {
    const csv = async (query: string) => {
      const res = await analyst.get(`/api/enforcement/report.csv?${query}`);
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="tonle-enforcement-[a-z]+-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d(-KH-\d+)?\.csv"$/);
      const table = parseCsv(res.body);
      return table.rows.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r.cells[i]])));
    };
    const q = `campaignId=${campaignId}&period=week:1`;
    const json = await report(q);
    const [summary, ...more] = await csv(`${q}&table=summary`);
    expect(more).toEqual([]);
    expect(summary).toEqual({
      from: '2017-01-01',
      to: '2017-01-07',
      province: 'all',
      district: 'all',
      cases: '261',
      persons: '652',
      female: String(json.totals.female),
      suspected_traffickers: '371',
      alleged_users: '281',
      others: '0',
    });
    const provinces = await csv(`${q}&table=province`);
    expect(provinces).toHaveLength(25);
    expect(provinces.reduce((s, p) => s + Number(p.cases), 0)).toBe(261);
    expect(provinces.reduce((s, p) => s + Number(p.persons), 0)).toBe(652);
    for (const p of json.byProvince)
      expect(provinces.find((r) => r.province_code === p.provinceCode), p.provinceCode).toEqual({
        province_code: p.provinceCode,
        cases: String(p.cases),
        persons: String(p.persons),
        suspected_traffickers: String(p.traffickers),
        alleged_users: String(p.users),
        others: String(p.others),
        female: String(p.female),
      });
    const [pp] = await csv(`from=2017-01-01&to=2017-01-02&province=KH-12&table=summary`);
    expect(pp).toMatchObject({ province: 'KH-12', persons: '70' });
    const daily = await csv(`${q}&table=daily`);
    expect(daily.map((d) => d.campaign_day)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(daily.reduce((s, d) => s + Number(d.cases), 0)).toBe(261);
    const persons = await csv(`${q}&table=persons`);
    expect(persons.filter((p) => p.dimension === 'role').reduce((s, p) => s + Number(p.persons), 0)).toBe(652);
  });

  it('the clerk and a supervisor read the same national figures (the report has no person-level rows)', async () => {
    const a = await report(`campaignId=${campaignId}&period=week:1`);
    const c = await report(`campaignId=${campaignId}&period=week:1`, clerk);
    expect(c).toEqual(a);
    const sup = await t.user('enforcement_supervisor', await t.org('enforcement', 'police_unit', 'Seed other unit'));
    expect(await report(`campaignId=${campaignId}&period=week:1`, sup)).toEqual(a);
    const { campaign: _c, ...figures } = a;
    expect(JSON.stringify(figures)).not.toMatch(/"(id|personId|unitReference|organisationId)"/);
  });

  it('a second import of the same files creates nothing, changes nothing, and the report is unchanged', async () => {
    const before = await report(`campaignId=${campaignId}&period=week:1`);
    const rowsBefore = await countRows(t.db);
    const again = importResult(await clerk.post('/api/cases/import', files));
    expect(again).toEqual({ cases: 261, rows: 652, created: 0, updated: 0, unchanged: 261 });
    const rowsAfter = await countRows(t.db);
    expect({ ...rowsAfter, audit: 0 }).toEqual({ ...rowsBefore, audit: 0 });
    // only the import itself is audited
    expect(rowsAfter.audit).toBe(rowsBefore.audit + 1);
    const last = await t.db.selectFrom('audit_log').select(['action', 'details']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last.action).toBe('case.import');
    expect(last.details).toMatchObject({ created: 0, unchanged: 261 });
    expect(await report(`campaignId=${campaignId}&period=week:1`)).toEqual(before);
    const versions = await t.db.selectFrom('enforcement_cases').select('version').distinct().execute();
    expect(versions.map((v) => v.version)).toEqual([1]);
    expect((await auditor.get('/api/audit/verify')).json().ok).toBe(true);
  });
});
