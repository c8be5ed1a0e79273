/**
 * The education pillar through the real server: an education officer records sessions of the own organisation and
 * lists them (another education office sees none of them); bad input is refused with the field's path and writes
 * nothing; every write leaves one audit entry; the national view (every signed-in role) adds up to what was recorded,
 * with small counts of people shown as "<5" and sessions exact; one table at a time as CSV.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import { addDays, todayInCambodia } from '../src/core/dates.js';
import { PARTICIPANT_AGE_BANDS, PARTICIPANT_SEXES, SESSION_SETTINGS, SESSION_TOPICS, type SessionDto } from '../src/core/education.js';
import { parseCsv } from '../src/core/csv.js';
import { HIDDEN, SMALL, type Published, type SuppressedTable } from '../src/core/suppression.js';
import { PROVINCE_CODES } from '../src/core/geography.js';

let t: TestApp;
let officer: Client & { accountId: string };
let other: Client;
let analyst: Client;
let orgA: string;
const today = todayInCambodia();
const from = addDays(today, -20); // three weeks: [from, from+6], [from+7, from+13], [from+14, today]

const count = async (table: 'education_sessions' | 'education_participants' | 'audit_log', action?: string) => {
  let q = t.db.selectFrom(table as 'audit_log').select((eb) => eb.fn.countAll<number>().as('n'));
  if (action) q = q.where('action', '=', action);
  return Number((await q.executeTakeFirstOrThrow()).n);
};
const session = (over: Record<string, unknown> = {}) => ({
  heldOn: addDays(today, -2),
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
      heldOn: addDays(today, -2),
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
    const res = await officer.post('/api/education/sessions', session({ districtCode: undefined, heldOn: addDays(today, -10), setting: 'community', topic: 'family_support', participants: { male: { '25_34': 0, '35_49': 6 }, unknown: { unknown: 0 } } }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ districtCode: null, participants: { male: { '35_49': 6 } }, total: 6 });
    expect(await t.db.selectFrom('education_participants').select('sex').where('session_id', '=', res.json().id).execute()).toHaveLength(1);
  });

  it('lists the own organisation\'s sessions, newest first, with the total; another education office sees none of them', async () => {
    const older = await officer.post('/api/education/sessions', session({ heldOn: addDays(today, -15), participants: { female: { '18_24': 3 } } }));
    expect(older.statusCode).toBe(201);
    const list = await officer.get('/api/education/sessions');
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body.total).toBe(3);
    expect(body.items.map((s: SessionDto) => s.heldOn)).toEqual([addDays(today, -2), addDays(today, -10), addDays(today, -15)]);
    expect(body.items[0]).toEqual(first);
    const page = (await officer.get('/api/education/sessions?limit=1&offset=1')).json();
    expect(page.total).toBe(3);
    expect(page.items.map((s: SessionDto) => s.heldOn)).toEqual([addDays(today, -10)]);
    const ranged = (await officer.get(`/api/education/sessions?from=${addDays(today, -12)}&to=${addDays(today, -5)}`)).json();
    expect(ranged).toMatchObject({ total: 1, items: [{ heldOn: addDays(today, -10) }] });

    const theirs = await other.get('/api/education/sessions');
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json()).toEqual({ items: [], total: 0 });
    // B's own session stays B's
    const b = await other.post('/api/education/sessions', session({ provinceCode: 'KH-17', districtCode: null, setting: 'prison', topic: 'hiv_hepatitis', heldOn: addDays(today, -1), participants: { male: { '25_34': 3 } } }));
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

  it('list and national queries are strict: unknown parameters and bad ranges are 400 naming the field', async () => {
    const bad: [Client, string, string][] = [
      [officer, '/api/education/sessions?name=x', 'query.name'],
      [officer, '/api/education/sessions?limit=0', 'query.limit'],
      [officer, `/api/education/sessions?from=${today}&to=${addDays(today, -1)}`, 'query.to'],
      [analyst, '/api/education/national?from=2026-13-01', 'query.from'],
      [analyst, `/api/education/national?from=${today}&to=${addDays(today, -1)}`, 'query.to'],
      [analyst, '/api/education/national?from=2019-01-01&to=2025-01-01', 'query.to'],
      [analyst, `/api/education/national?from=${addDays(today, 3)}`, 'query.from'],
      [analyst, '/api/education/national?province=KH-12', 'query.province'],
      [analyst, '/api/education/national.csv?table=people', 'query.table'],
      [analyst, '/api/education/national.csv', 'query.table'],
    ];
    for (const [c, url, path] of bad) {
      const res = await c.get(url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(res.json().error.fields.map((f: { path: string }) => f.path), url).toContain(path);
    }
    const msg = (await analyst.get(`/api/education/national?from=${today}&to=${addDays(today, -1)}`)).json().error.message;
    expect(msg).toBe('query.to: must not be before from');
  });
});

/**
 * What is published agrees with the truth: 1–4 is "<5", a shown number is the true one, "*" hides 5 or more and
 * zero is never hidden — for every cell, row total, column total and the grand total.
 */
function expectPublished(table: SuppressedTable, truth: number[][]) {
  const rowT = truth.map((r) => r.reduce((a, b) => a + b, 0));
  const colT = truth[0].map((_, j) => truth.reduce((a, r) => a + r[j], 0));
  const all = rowT.reduce((a, b) => a + b, 0);
  const pairs: [Published, number, string][] = [
    ...truth.flatMap((r, i) => r.map((v, j) => [table.cells[i][j], v, `cell ${i},${j}`] as [Published, number, string])),
    ...rowT.map((v, i) => [table.rowTotals[i], v, `row total ${i}`] as [Published, number, string]),
    ...colT.map((v, j) => [table.columnTotals[j], v, `column total ${j}`] as [Published, number, string]),
    [table.total, all, 'total'],
  ];
  expect(table.withheld).toBe(false);
  for (const [pub, v, where] of pairs) {
    if (v >= 1 && v <= 4) expect(pub, where).toBe(SMALL);
    else if (pub === HIDDEN) expect(v, where).toBeGreaterThanOrEqual(5);
    else expect(pub, where).toBe(v);
  }
}

describe('national view', () => {
  const pp = PROVINCE_CODES.indexOf('KH-12');
  const sr = PROVINCE_CODES.indexOf('KH-17');
  const female = PARTICIPANT_SEXES.indexOf('female');
  const male = PARTICIPANT_SEXES.indexOf('male');

  it('every signed-in role reads it; the figures equal what was recorded, people suppressed, sessions exact', async () => {
    const res = await analyst.get(`/api/education/national?from=${from}&to=${today}`);
    expect(res.statusCode, res.body).toBe(200);
    const n = res.json();
    expect(n.range).toEqual({ from, to: today });
    expect(n.weeks).toEqual([
      { from, to: addDays(from, 6) },
      { from: addDays(from, 7), to: addDays(from, 13) },
      { from: addDays(from, 14), to: today },
    ]);
    expect(n.provinces).toEqual([...PROVINCE_CODES]);
    // recorded: KH-12 day −15 (week 0: 3 people), day −10 (week 1: 6 people), day −2 (week 2: 50 people);
    // KH-17 (office B) day −1 (week 2: 3 people, in a prison)
    expect(n.sessions[pp]).toEqual([1, 1, 1]);
    expect(n.sessions[sr]).toEqual([0, 0, 1]);
    expect(n.sessions.filter((_: unknown, i: number) => i !== pp && i !== sr).flat().every((v: number) => v === 0)).toBe(true);
    expect(n.sessionsTotal).toBe(4);
    expect(n.sessionsByTopic).toEqual(SESSION_TOPICS.map((x) => ({ drug_risks: 2, family_support: 1, hiv_hepatitis: 1 })[x as string] ?? 0));

    const people = PROVINCE_CODES.map(() => [0, 0, 0]);
    people[pp] = [3, 6, 50];
    people[sr] = [0, 0, 3];
    expectPublished(n.people, people);
    expect(n.people.cells[pp][0]).toBe(SMALL);
    expect(n.people.cells[sr][2]).toBe(SMALL);

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
    expect(n.byAgeBand.cells[PARTICIPANT_AGE_BANDS.indexOf('15_17')][female]).toBe(22);

    // everyone signed in reads the same view
    for (const c of [officer, other, t.admin]) expect((await c.get(`/api/education/national?from=${from}&to=${today}`)).json()).toEqual(n);
    expect((await t.anon().get('/api/education/national')).statusCode).toBe(401);
  });

  it('defaults to the last twelve weeks up to today', async () => {
    const n = (await analyst.get('/api/education/national')).json();
    expect(n.range).toEqual({ from: addDays(today, -83), to: today });
    expect(n.weeks).toHaveLength(12);
    expect(n.sessionsTotal).toBe(4);
    const early = (await analyst.get(`/api/education/national?from=${addDays(today, -30)}&to=${addDays(today, -12)}`)).json();
    expect(early.sessionsTotal).toBe(1);
  });

  it('gives each table as CSV, as published', async () => {
    const res = await analyst.get(`/api/education/national.csv?from=${from}&to=${today}&table=province`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain(`tonle-education-province-${from}-${today}.csv`);
    const csv = parseCsv(res.body);
    expect(csv.header).toEqual(['province_code', 'week', 'from', 'to', 'sessions', 'people_reached']);
    expect(csv.rows.find((r) => r.cells[0] === 'KH-17' && r.cells[1] === '3')!.cells).toEqual(['KH-17', '3', addDays(from, 14), today, '1', '<5']);
    // every province × week row is the view's published cell
    const n = (await analyst.get(`/api/education/national?from=${from}&to=${today}`)).json();
    n.provinces.forEach((code: string, i: number) =>
      n.weeks.forEach((w: { from: string; to: string }, j: number) => {
        const row = csv.rows.find((r) => r.cells[0] === code && r.cells[1] === String(j + 1))!;
        expect(row.cells.slice(2), `${code} ${w.from}`).toEqual([w.from, w.to, String(n.sessions[i][j]), String(n.people.cells[i][j])]);
      }),
    );
    expect(csv.rows.find((r) => r.cells[0] === 'KH-12' && r.cells[1] === '1')!.cells.slice(2)).toEqual([from, addDays(from, 6), '1', '<5']);
    expect(csv.rows.at(-1)!.cells).toEqual(['all', 'all', from, today, '4', String(n.people.total)]);
    const setting = parseCsv((await analyst.get(`/api/education/national.csv?from=${from}&to=${today}&table=setting`)).body);
    expect(setting.header).toEqual(['setting', 'male', 'female', 'unknown', 'total']);
    expect(setting.rows.find((r) => r.cells[0] === 'prison')!.cells.slice(1, 2)).toEqual(['<5']);
    const age = parseCsv((await officer.get(`/api/education/national.csv?from=${from}&to=${today}&table=age`)).body);
    expect(age.rows.find((r) => r.cells[0] === '15_17')!.cells).toEqual(['15_17', '20', '22', '0', '42']);
    expect(age.rows.find((r) => r.cells[0] === '25_34')!.cells[1]).toBe('<5');
  });
});
