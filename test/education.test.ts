/**
 * The education pillar through the real server: an education officer records sessions of the own organisation and
 * lists them (another education office sees none of them); bad input is refused with the field's path and writes
 * nothing; every write leaves one audit entry; the national view (every signed-in role), asked for a fixed period,
 * adds up to what was recorded, with counts of people published through the disclosure control (1–4 as "<5", 5 or
 * more rounded to 5) and sessions exact; one table at a time as CSV.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import { pastCampaign } from './campaign-helpers.js';
import { addDays, todayInCambodia } from '../src/core/dates.js';
import { PARTICIPANT_AGE_BANDS, PARTICIPANT_SEXES, SESSION_SETTINGS, SESSION_TOPICS, type SessionDto } from '../src/core/education.js';
import { parseCsv } from '../src/core/csv.js';
import { bounds, HIDDEN, SMALL, type Shown } from '../src/core/disclosure.js';
import type { ShownTable } from '../src/core/indicators/education.js';
import { PROVINCE_CODES } from '../src/core/geography.js';

let t: TestApp;
let officer: Client & { accountId: string };
let other: Client;
let analyst: Client;
let orgA: string;
const today = todayInCambodia();
// the sessions are held in November 2025: a fixed month, whatever day the tests run
const NOV = (d: number) => `2025-11-${String(d).padStart(2, '0')}`;

const count = async (table: 'education_sessions' | 'education_participants' | 'audit_log', action?: string) => {
  let q = t.db.selectFrom(table as 'audit_log').select((eb) => eb.fn.countAll<number>().as('n'));
  if (action) q = q.where('action', '=', action);
  return Number((await q.executeTakeFirstOrThrow()).n);
};
const session = (over: Record<string, unknown> = {}) => ({
  heldOn: NOV(18),
  provinceCode: 'KH-12',
  districtCode: '1201',
  setting: 'school',
  topic: 'drug_risks',
  participants: { female: { '15_17': 22, '18_24': 8 }, male: { '15_17': 20 } },
  ...over,
});

beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: 100_000 });
  const imp = await t.admin.post('/api/geography/import', readFileSync('reference/geography-sample-phnom-penh.csv', 'utf8'), { 'content-type': 'text/csv' });
  expect(imp.statusCode).toBe(200);
  orgA = await t.org('education', 'education_office', 'Education office A', 'KH-12');
  const orgB = await t.org('education', 'education_office', 'Education office B', 'KH-17');
  officer = await t.user('education_officer', orgA);
  other = await t.user('education_officer', orgB);
  analyst = await t.user('analyst', await t.org('oversight', 'national_committee', 'Education committee'));
});
afterAll(() => t.close());

describe('recording and listing sessions', () => {
  let first: SessionDto;

  it('records a session: 201 with the session, its organisation, participants and total', async () => {
    const audits = await count('audit_log', 'education_session.create');
    const res = await officer.post('/api/education/sessions', session());
    expect(res.statusCode, res.body).toBe(201);
    first = res.json();
    expect(first).toMatchObject({
      organisationId: orgA,
      organisationName: 'Education office A',
      heldOn: NOV(18),
      provinceCode: 'KH-12',
      districtCode: '1201',
      setting: 'school',
      topic: 'drug_risks',
      participants: { female: { '15_17': 22, '18_24': 8 }, male: { '15_17': 20 } },
      total: 50,
    });
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    // only the non-zero cells are stored
    const rows = await t.db.selectFrom('education_participants').selectAll().where('session_id', '=', first.id).orderBy('sex').orderBy('age_band').execute();
    expect(rows.map((r) => [r.sex, r.age_band, r.count])).toEqual([
      ['female', '15_17', 22],
      ['female', '18_24', 8],
      ['male', '15_17', 20],
    ]);
    // one audit entry, by the officer, naming the session
    expect(await count('audit_log', 'education_session.create')).toBe(audits + 1);
    const a = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'education_session.create').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(a.entity_id).toBe(first.id);
    expect(a.account_id).toBe(officer.accountId);
    expect(a.organisation_id).toBe(orgA);
  });

  it('zero cells are not stored, and a district may be left out', async () => {
    const res = await officer.post('/api/education/sessions', session({ districtCode: undefined, heldOn: NOV(10), setting: 'community', topic: 'family_support', participants: { male: { '25_34': 0, '35_49': 6 }, unknown: { unknown: 0 } } }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ districtCode: null, participants: { male: { '35_49': 6 } }, total: 6 });
    expect(await t.db.selectFrom('education_participants').select('sex').where('session_id', '=', res.json().id).execute()).toHaveLength(1);
  });

  it('lists the own organisation\'s sessions, newest first, with the total; another education office sees none of them', async () => {
    const older = await officer.post('/api/education/sessions', session({ heldOn: NOV(5), participants: { female: { '18_24': 3 } } }));
    expect(older.statusCode).toBe(201);
    const list = await officer.get('/api/education/sessions');
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body.total).toBe(3);
    expect(body.items.map((s: SessionDto) => s.heldOn)).toEqual([NOV(18), NOV(10), NOV(5)]);
    expect(body.items[0]).toEqual(first);
    const page = (await officer.get('/api/education/sessions?limit=1&offset=1')).json();
    expect(page.total).toBe(3);
    expect(page.items.map((s: SessionDto) => s.heldOn)).toEqual([NOV(10)]);
    const ranged = (await officer.get(`/api/education/sessions?from=${NOV(8)}&to=${NOV(15)}`)).json();
    expect(ranged).toMatchObject({ total: 1, items: [{ heldOn: NOV(10) }] });

    const theirs = await other.get('/api/education/sessions');
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json()).toEqual({ items: [], total: 0 });
    // B's own session stays B's
    const b = await other.post('/api/education/sessions', session({ provinceCode: 'KH-17', districtCode: null, setting: 'prison', topic: 'hiv_hepatitis', heldOn: NOV(19), participants: { male: { '25_34': 3 } } }));
    expect(b.statusCode, b.body).toBe(201);
    expect((await other.get('/api/education/sessions')).json().total).toBe(1);
    expect((await officer.get('/api/education/sessions')).json().items.map((s: SessionDto) => s.id)).not.toContain(b.json().id);
  });

  it('refuses bad input with 400 naming the field, writes nothing and audits nothing', async () => {
    const before = { s: await count('education_sessions'), p: await count('education_participants'), a: await count('audit_log') };
    const cases: [Record<string, unknown>, string, string | RegExp][] = [
      [session({ participants: {} }), 'participants', 'must count at least one participant'],
      [session({ participants: { male: { '15_17': 0 } } }), 'participants', 'must count at least one participant'],
      [session({ participants: { male: { '15_17': -2 }, female: { '15_17': 5 } } }), 'participants.male.15_17', 'must be 0 or more'],
      [session({ participants: { male: { '15_17': 2.5 } } }), 'participants.male.15_17', 'must be a whole number'],
      [session({ participants: { male: { age12: 4 } } }), 'participants.male.age12', /not an accepted field/],
      [session({ heldOn: addDays(today, 1) }), 'heldOn', 'must not be in the future'],
      [session({ heldOn: '2026-02-30' }), 'heldOn', 'must be a date YYYY-MM-DD'],
      [session({ setting: 'temple' }), 'setting', /./],
      [session({ topic: undefined }), 'topic', 'is required'],
      [session({ provinceCode: 'KH-17', districtCode: '1201' }), 'districtCode', 'is not in the province'],
      [session({ districtCode: '1299' }), 'districtCode', 'is not a known district'],
      [session({ teacherName: 'Sok' }), 'teacherName', /not an accepted field/],
      [session({ organisationId: orgA }), 'organisationId', /not an accepted field/],
    ];
    for (const [body, path, message] of cases) {
      const res = await officer.post('/api/education/sessions', body);
      const label = `${JSON.stringify(body)} → ${res.body}`;
      expect(res.statusCode, label).toBe(400);
      const f = res.json().error.fields.find((x: { path: string }) => x.path === path);
      expect(f, label).toBeDefined();
      expect(f.message, label).toMatch(message);
      expect(res.json().error.message, label).toContain(path);
    }
    expect({ s: await count('education_sessions'), p: await count('education_participants'), a: await count('audit_log') }).toEqual(before);
  });

  it('list and national queries are strict: unknown parameters, bad ranges and bad periods are 400 naming the field', async () => {
    const bad: [Client, string, string][] = [
      [officer, '/api/education/sessions?name=x', 'query.name'],
      [officer, '/api/education/sessions?limit=0', 'query.limit'],
      [officer, '/api/education/sessions?limit=501', 'query.limit'],
      [officer, '/api/education/sessions?offset=-1', 'query.offset'],
      [officer, `/api/education/sessions?from=${today}&to=${addDays(today, -1)}`, 'query.to'],
      [officer, '/api/education/sessions?to=9999-12-31', 'query.to'],
      [officer, '/api/education/sessions?from=0001-01-01', 'query.from'],
      [analyst, '/api/education/national?province=KH-12', 'query.province'],
      [analyst, '/api/education/national?period=2025-13', 'query.period'],
      [analyst, '/api/education/national?period=2025-W54', 'query.period'],
      [analyst, '/api/education/national?period=last-week', 'query.period'],
      [analyst, '/api/education/national?period=9999', 'query.period'],
      [analyst, '/api/education/national?period=9999-12-31', 'query.period'],
      [analyst, '/api/education/national?period=0001-01-01', 'query.period'],
      [analyst, '/api/education/national?period=1999-12', 'query.period'],
      [analyst, '/api/education/national?period=week:2', 'query.campaignId'],
      [analyst, '/api/education/national?period=to_date&campaignId=00000000-0000-4000-8000-00000000beef', 'query.campaignId'],
      [analyst, '/api/education/national?period=to_date&campaignId=nope', 'query.campaignId'],
      [analyst, '/api/education/national.csv?table=people', 'query.table'],
      [analyst, '/api/education/national.csv', 'query.table'],
      [analyst, '/api/education/national.csv?table=age&period=2025-Q5', 'query.period'],
    ];
    for (const [c, url, path] of bad) {
      const res = await c.get(url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(res.json().error.fields.map((f: { path: string }) => f.path), url).toContain(path);
    }
    expect((await analyst.get('/api/education/national?period=week:2')).json().error.message).toBe('query.campaignId: is required with a campaign period');
  });
});

/**
 * What is published agrees with the truth, for every cell, row total, column total and the grand total: 0 is 0,
 * 1–4 is "<5" (or "*"), 5 or more is shown rounded to base 5 (the true value within the mark's bounds) or "*".
 */
function expectPublished(table: ShownTable, truth: number[][], crossed = true) {
  const rowT = truth.map((r) => r.reduce((a, b) => a + b, 0));
  const colT = truth[0].map((_, j) => truth.reduce((a, r) => a + r[j], 0));
  const all = rowT.reduce((a, b) => a + b, 0);
  // a table of a week (released one dimension at a time): no cells at all, the margins checked as usual
  expect(table.crossed).toBe(crossed);
  if (!crossed) expect(table.cells).toEqual(truth.map(() => []));
  const pairs: [Shown, number, string][] = [
    ...(crossed ? truth.flatMap((r, i) => r.map((v, j) => [table.cells[i][j], v, `cell ${i},${j}`] as [Shown, number, string])) : []),
    ...rowT.map((v, i) => [table.rowTotals[i], v, `row total ${i}`] as [Shown, number, string]),
    ...colT.map((v, j) => [table.columnTotals[j], v, `column total ${j}`] as [Shown, number, string]),
    [table.total, all, 'total'],
  ];
  expect(table.withheld).toBe(false);
  for (const [pub, v, where] of pairs) {
    if (v === 0) expect(pub, where).toBe(0);
    else if (pub === HIDDEN) continue;
    else if (v <= 4) expect(pub, where).toBe(SMALL);
    else {
      expect(typeof pub, where).toBe('number');
      expect((pub as number) % 5, where).toBe(0);
      const [lo, hi] = bounds(pub);
      expect(v >= lo && v <= hi, `${where}: ${v} published as ${pub}`).toBe(true);
    }
  }
}

describe('national view', () => {
  const pp = PROVINCE_CODES.indexOf('KH-12');
  const sr = PROVINCE_CODES.indexOf('KH-17');
  const female = PARTICIPANT_SEXES.indexOf('female');
  const male = PARTICIPANT_SEXES.indexOf('male');

  it('every signed-in role reads it for a month; the figures equal what was recorded, people published, sessions exact', async () => {
    const res = await analyst.get('/api/education/national?period=2025-11');
    expect(res.statusCode, res.body).toBe(200);
    const n = res.json();
    expect(n.period).toMatchObject({ type: 'month', key: 'month:2025-11', spec: '2025-11', from: NOV(1), to: NOV(30) });
    // the series of a month is the month alone (its parts would be days, never released)
    expect(n.parts.map((p: { key: string }) => p.key)).toEqual(['month:2025-11']);
    expect(n.provinces).toEqual([...PROVINCE_CODES]);
    // recorded: KH-12 on the 5th (3 people), 10th (6 people), 18th (50 people); KH-17 (office B) on the 19th (3
    // people, in a prison)
    expect(n.sessions[pp]).toEqual([3]);
    expect(n.sessions[sr]).toEqual([1]);
    expect(n.sessions.filter((_: unknown, i: number) => i !== pp && i !== sr).flat().every((v: number) => v === 0)).toBe(true);
    expect(n.sessionsTotal).toBe(4);
    expect(n.sessionsByTopic).toEqual(SESSION_TOPICS.map((x) => ({ drug_risks: 2, family_support: 1, hiv_hepatitis: 1 })[x as string] ?? 0));

    const people = PROVINCE_CODES.map(() => [0]);
    people[pp][0] = 3 + 6 + 50;
    people[sr][0] = 3;
    expectPublished(n.people, people);
    expect([55, 60]).toContain(n.people.cells[pp][0]); // 59: a multiple of 5, never 59
    expect(n.people.cells[sr][0]).toBe(SMALL);
    expect(n.people.rowTotals[sr]).toBe(SMALL);

    const setting = SESSION_SETTINGS.map(() => [0, 0, 0]);
    setting[SESSION_SETTINGS.indexOf('school')] = [20, 33, 0];
    setting[SESSION_SETTINGS.indexOf('community')] = [6, 0, 0];
    setting[SESSION_SETTINGS.indexOf('prison')] = [3, 0, 0];
    expectPublished(n.bySetting, setting);
    expect(n.bySetting.cells[SESSION_SETTINGS.indexOf('prison')][male]).toBe(SMALL);

    const age = PARTICIPANT_AGE_BANDS.map(() => [0, 0, 0]);
    age[PARTICIPANT_AGE_BANDS.indexOf('15_17')] = [20, 22, 0];
    age[PARTICIPANT_AGE_BANDS.indexOf('18_24')] = [0, 11, 0];
    age[PARTICIPANT_AGE_BANDS.indexOf('25_34')] = [3, 0, 0];
    age[PARTICIPANT_AGE_BANDS.indexOf('35_49')] = [6, 0, 0];
    expectPublished(n.byAgeBand, age);
    expect([20, 25]).toContain(n.byAgeBand.cells[PARTICIPANT_AGE_BANDS.indexOf('15_17')][female]); // 22: never exact
    expect(n.byAgeBand.cells[PARTICIPANT_AGE_BANDS.indexOf('15_17')][male]).toBe(20); // a multiple of 5 stays

    // everyone signed in reads the same view
    for (const c of [officer, other, t.admin]) expect((await c.get('/api/education/national?period=2025-11')).json()).toEqual(n);
    expect((await t.anon().get('/api/education/national?period=2025-11')).statusCode).toBe(401);
  });

  it('answers every kind of period with its series: ISO week and month alone, quarter → months, year → quarters; a day is refused', async () => {
    const week = (await analyst.get('/api/education/national?period=2025-W47')).json(); // 17–23 November
    expect(week.period).toMatchObject({ type: 'iso_week', from: NOV(17), to: NOV(23) });
    expect(week.parts.map((p: { spec: string }) => p.spec)).toEqual(['2025-W47']);
    expect(week.sessionsTotal).toBe(2);
    expect(week.sessions[pp]).toEqual([1]);
    expect(week.sessions[sr]).toEqual([1]);
    // the week's people: KH-12 50 (school: 30 women, 20 men), KH-17 3 men in a prison
    expect(week.people.cells[pp]).toEqual([50]);
    expect(week.people.cells[sr]).toEqual([SMALL]);
    // its two-way tables have margins only (a week is released one dimension at a time), equal to what was recorded
    const wSetting = SESSION_SETTINGS.map(() => [0, 0, 0]);
    wSetting[SESSION_SETTINGS.indexOf('school')] = [20, 30, 0];
    wSetting[SESSION_SETTINGS.indexOf('prison')] = [3, 0, 0];
    expectPublished(week.bySetting, wSetting, false);
    expect(week.bySetting.rowTotals[SESSION_SETTINGS.indexOf('school')]).toBe(50);
    expect(week.bySetting.rowTotals[SESSION_SETTINGS.indexOf('prison')]).toBe(SMALL);
    expect(week.bySetting.columnTotals[female]).toBe(30);
    const wAge = PARTICIPANT_AGE_BANDS.map(() => [0, 0, 0]);
    wAge[PARTICIPANT_AGE_BANDS.indexOf('15_17')] = [20, 22, 0];
    wAge[PARTICIPANT_AGE_BANDS.indexOf('18_24')] = [0, 8, 0];
    wAge[PARTICIPANT_AGE_BANDS.indexOf('25_34')] = [3, 0, 0];
    expectPublished(week.byAgeBand, wAge, false);
    expect(week.byAgeBand.rowTotals[PARTICIPANT_AGE_BANDS.indexOf('25_34')]).toBe(SMALL);
    // the other weeks of November: W45 KH-12's 3 on the 5th, W46 its 6 on the 10th, W48 nothing
    const w45 = (await analyst.get('/api/education/national?period=2025-W45')).json();
    expect(w45.sessions[pp]).toEqual([1]);
    expect(w45.people.cells[pp]).toEqual([SMALL]);
    expect(w45.bySetting.cells).toEqual(SESSION_SETTINGS.map(() => []));
    const w46 = (await analyst.get('/api/education/national?period=2025-W46')).json();
    expect(w46.sessions[pp]).toEqual([1]);
    expect([5, 10]).toContain(w46.people.cells[pp][0]); // 6: never exact
    const w48 = (await analyst.get('/api/education/national?period=2025-W48')).json();
    expect(w48.sessionsTotal).toBe(0);
    expect(w48.people.total).toBe(0);
    const quarter = (await analyst.get('/api/education/national?period=2025-Q4')).json();
    expect(quarter.parts.map((p: { spec: string }) => p.spec)).toEqual(['2025-10', '2025-11', '2025-12']);
    expect(quarter.sessions[pp]).toEqual([0, 3, 0]);
    expect(quarter.sessionsTotal).toBe(4);
    expect(quarter.bySetting.crossed).toBe(true);
    expect(quarter.bySetting.cells[SESSION_SETTINGS.indexOf('prison')][male]).toBe(SMALL);
    const year = (await analyst.get('/api/education/national?period=2025')).json();
    expect(year.parts.map((p: { spec: string }) => p.spec)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    expect(year.sessionsTotal).toBe(4);
    expect(year.bySetting.crossed).toBe(true);
    // the same figure reads the same in every view it appears in: November in the quarter, Q4 in the year
    const month = (await analyst.get('/api/education/national?period=2025-11')).json();
    expect(quarter.people.columnTotals[1]).toEqual(month.people.total);
    expect(quarter.people.cells[pp][1]).toEqual(month.people.rowTotals[pp]);
    expect(year.people.columnTotals[3]).toEqual(quarter.people.total);
    expect(year.people.cells[pp][3]).toEqual(quarter.people.rowTotals[pp]);
    expect(week.people.rowTotals[pp]).toEqual(week.people.cells[pp][0]);
    // a single day is never released: a 400 naming query.period, whatever the day (with sessions or not)
    for (const d of [NOV(18), NOV(19), NOV(1)]) {
      const res = await analyst.get(`/api/education/national?period=${d}`);
      expect(res.statusCode, d).toBe(400);
      expect(res.json().error.fields[0]).toMatchObject({ path: 'query.period', message: expect.stringMatching(/single day/) });
    }
    const csv = await analyst.get(`/api/education/national.csv?period=${NOV(18)}&table=province`);
    expect(csv.statusCode).toBe(400);
    expect(csv.json().error.fields[0]).toMatchObject({ path: 'query.period' });
  });

  it('a campaign period: the weeks of the campaign to date, a campaign week alone, never a campaign day', async () => {
    const { id } = await pastCampaign(t, { nameEn: 'Education test campaign', nameKm: 'យុទ្ធនាការ', startDate: NOV(3), endDate: NOV(30), pillars: ['education'] });
    const toDateRes = await analyst.get(`/api/education/national?period=to_date&campaignId=${id}`);
    expect(toDateRes.statusCode, toDateRes.body).toBe(200);
    const toDate = toDateRes.json();
    // 3–30 November: four complete campaign weeks
    expect(toDate.period).toMatchObject({ type: 'campaign_to_date', from: NOV(3), to: NOV(30), campaignId: id });
    expect(toDate.parts.map((p: { spec: string; from: string }) => [p.spec, p.from])).toEqual([
      ['week:1', NOV(3)],
      ['week:2', NOV(10)],
      ['week:3', NOV(17)],
      ['week:4', NOV(24)],
    ]);
    expect(toDate.sessions[pp]).toEqual([1, 1, 1, 0]);
    expect(toDate.sessions[sr]).toEqual([0, 0, 1, 0]);
    // each week of the series reads as that campaign week does alone; its tables have margins only
    expect(toDate.bySetting.crossed).toBe(false);
    expect(toDate.bySetting.cells).toEqual(SESSION_SETTINGS.map(() => []));
    expect(toDate.bySetting.rowTotals[SESSION_SETTINGS.indexOf('prison')]).toBe(SMALL);
    const w3 = (await analyst.get(`/api/education/national?period=week:3&campaignId=${id}`)).json();
    // campaign week 3 is 17–23 November: the week alone (its parts would be campaign days)
    expect(w3.period).toMatchObject({ type: 'campaign_week', from: NOV(17), to: NOV(23) });
    expect(w3.parts.map((p: { spec: string }) => p.spec)).toEqual(['week:3']);
    expect(w3.sessionsTotal).toBe(2);
    expect(w3.people.cells[pp]).toEqual([50]);
    expect(w3.people.cells[pp][0]).toEqual(toDate.people.cells[pp][2]);
    expect(w3.bySetting.crossed).toBe(false);
    expect(w3.byAgeBand.cells).toEqual(PARTICIPANT_AGE_BANDS.map(() => []));
    expect(w3.bySetting.rowTotals[SESSION_SETTINGS.indexOf('school')]).toBe(50);
    // a campaign day is never released
    const day = await analyst.get(`/api/education/national?period=day:16&campaignId=${id}`);
    expect(day.statusCode).toBe(400);
    expect(day.json().error.fields[0]).toMatchObject({ path: 'query.period', message: expect.stringMatching(/single campaign day.*week:3/) });
    // a calendar period ignores the campaign
    expect((await analyst.get(`/api/education/national?period=2025-11&campaignId=${id}`)).json().period.key).toBe('month:2025-11');
    // a campaign without a health pillar is never the grid of a health figure: a 400 naming query.campaignId
    const enf = await pastCampaign(t, { nameEn: 'Enforcement only', nameKm: 'យុទ្ធនាការ', startDate: NOV(5), endDate: NOV(25), pillars: ['enforcement'] });
    for (const q of ['period=to_date', 'period=week:1', 'period=2025-11']) {
      const res = await analyst.get(`/api/education/national?${q}&campaignId=${enf.id}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.fields[0]).toMatchObject({ path: 'query.campaignId', message: expect.stringMatching(/without a health pillar/) });
    }
  });

  it('without a period: the last complete calendar month; a period not over yet is refused', async () => {
    const n = (await analyst.get('/api/education/national')).json();
    const last = addDays(`${today.slice(0, 7)}-01`, -1);
    expect(n.period).toMatchObject({ type: 'month', spec: last.slice(0, 7), to: last });
    for (const q of [`period=${today.slice(0, 7)}`, `period=${today.slice(0, 4)}`]) {
      const res = await analyst.get(`/api/education/national?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.fields[0]).toMatchObject({ path: 'query.period', message: expect.stringMatching(/^has not ended yet/) });
    }
    // today is a single day before it is an unfinished period
    const day = await analyst.get(`/api/education/national?period=${today}`);
    expect(day.statusCode).toBe(400);
    expect(day.json().error.fields[0]).toMatchObject({ path: 'query.period', message: expect.stringMatching(/^is a single day/) });
  });

  it('gives each table as CSV, as published', async () => {
    const res = await analyst.get('/api/education/national.csv?period=2025-11&table=province');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain(`tonle-education-province-${NOV(1)}-${NOV(30)}.csv`);
    const csv = parseCsv(res.body);
    expect(csv.header).toEqual(['province_code', 'period', 'from', 'to', 'sessions', 'people_reached']);
    // a month is its own series: one row per province for the month, then the total; no row of a day
    expect(csv.rows.find((r) => r.cells[0] === 'KH-17' && r.cells[1] === '2025-11')!.cells).toEqual(['KH-17', '2025-11', NOV(1), NOV(30), '1', '<5']);
    expect(csv.rows).toHaveLength(25 + 1);
    expect(csv.rows.some((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.cells[1]))).toBe(false);
    // every province row is the view's published cell
    const n = (await analyst.get('/api/education/national?period=2025-11')).json();
    n.provinces.forEach((code: string, i: number) =>
      n.parts.forEach((w: { spec: string; from: string; to: string }, j: number) => {
        const row = csv.rows.find((r) => r.cells[0] === code && r.cells[1] === w.spec)!;
        expect(row.cells.slice(2), `${code} ${w.from}`).toEqual([w.from, w.to, String(n.sessions[i][j]), String(n.people.cells[i][j])]);
      }),
    );
    expect(csv.rows.find((r) => r.cells[0] === 'KH-12')!.cells.slice(4)).toEqual(['3', String(n.people.cells[pp][0])]);
    // a week's province table: its provinces; its two-way tables: the cell columns empty, the margins as published
    const wp = parseCsv((await analyst.get('/api/education/national.csv?period=2025-W47&table=province')).body);
    expect(wp.rows.find((r) => r.cells[0] === 'KH-17')!.cells).toEqual(['KH-17', '2025-W47', NOV(17), NOV(23), '1', '<5']);
    const ws = await analyst.get('/api/education/national.csv?period=2025-W47&table=setting');
    expect(ws.statusCode).toBe(200);
    const wsCsv = parseCsv(ws.body);
    expect(wsCsv.header).toEqual(['setting', 'male', 'female', 'unknown', 'total']);
    expect(wsCsv.rows.find((r) => r.cells[0] === 'school')!.cells).toEqual(['school', '', '', '', '50']);
    expect(wsCsv.rows.find((r) => r.cells[0] === 'prison')!.cells).toEqual(['prison', '', '', '', '<5']);
    const week = (await analyst.get('/api/education/national?period=2025-W47')).json();
    expect(wsCsv.rows.at(-1)!.cells).toEqual(['total', ...week.bySetting.columnTotals, week.bySetting.total].map(String));
    expect(wsCsv.rows.at(-1)!.cells[2]).toBe('30');
    expect(csv.rows.at(-1)!.cells).toEqual(['all', '2025-11', NOV(1), NOV(30), '4', String(n.people.total)]);
    const setting = parseCsv((await analyst.get('/api/education/national.csv?period=2025-11&table=setting')).body);
    expect(setting.header).toEqual(['setting', 'male', 'female', 'unknown', 'total']);
    expect(setting.rows.find((r) => r.cells[0] === 'prison')!.cells.slice(1, 2)).toEqual(['<5']);
    const age = parseCsv((await officer.get('/api/education/national.csv?period=2025-11&table=age')).body);
    const band = age.rows.find((r) => r.cells[0] === '15_17')!.cells;
    expect(band.slice(0, 2)).toEqual(['15_17', '20']);
    expect(['20', '25']).toContain(band[2]);
    expect(band[3]).toBe('0');
    expect(['40', '45']).toContain(band[4]);
    const view = (await officer.get('/api/education/national?period=2025-11')).json();
    expect(band.slice(1)).toEqual([...view.byAgeBand.cells[PARTICIPANT_AGE_BANDS.indexOf('15_17')], view.byAgeBand.rowTotals[PARTICIPANT_AGE_BANDS.indexOf('15_17')]].map(String));
    expect(age.rows.find((r) => r.cells[0] === '25_34')!.cells[1]).toBe('<5');
  });
});
