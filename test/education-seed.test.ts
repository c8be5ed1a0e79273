/**
 * The demo education sessions: deterministic, valid for the officer's schema, recorded through the service (one audit
 * entry each), spread over several provinces and the last eight weeks, and visible to the demo officer (own office
 * only) and in the national view (with a small prison group shown as "<5"). The demo bootstrap wires the seed in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { bootstrap } from '../src/server/bootstrap.js';
import { freshDatabase, startTestApp, Client, type TestApp } from './helpers.js';
import { pastCampaign } from './campaign-helpers.js';
import { addDays, todayInCambodia } from '../src/core/dates.js';
import { participantTotal, sessionInput, PARTICIPANT_SEXES, SESSION_SETTINGS, type SessionDto } from '../src/core/education.js';
import { PROVINCE_CODES } from '../src/core/geography.js';
import { bounds, HIDDEN, SMALL } from '../src/core/disclosure.js';
import { EDUCATION_DEMO_OFFICES, educationDemoSessions, seedEducation } from '../src/server/demo/education-seed.js';

const today = todayInCambodia();
const expected = EDUCATION_DEMO_OFFICES.flatMap((_, i) => educationDemoSessions(today, i));

describe('the demo sessions (pure)', () => {
  it('are deterministic, a few dozen, valid, in the last eight weeks (never today), in four provinces', () => {
    expect(EDUCATION_DEMO_OFFICES.flatMap((_, i) => educationDemoSessions(today, i))).toEqual(expected);
    expect(expected.length).toBeGreaterThanOrEqual(36);
    expect(expected.length).toBeLessThanOrEqual(80);
    const schema = sessionInput(today);
    for (const s of expected) {
      expect(schema.safeParse(s).success, JSON.stringify(s)).toBe(true);
      expect(s.heldOn < today && s.heldOn >= addDays(today, -56), s.heldOn).toBe(true);
    }
    expect(new Set(expected.map((s) => s.provinceCode))).toEqual(new Set(['KH-17', 'KH-12', 'KH-2', 'KH-3']));
    expect(new Set(expected.map((s) => s.setting)).size).toBeGreaterThanOrEqual(4);
    expect(expected.some((s) => participantTotal(s.participants) < 5)).toBe(true);
  });
});

describe('seeded through the service', () => {
  let t: TestApp;
  let officer: Client;
  let n: number;
  beforeAll(async () => {
    t = await startTestApp();
    const school = await t.org('education', 'education_office', 'Seed education office', 'KH-17');
    const o = await t.user('education_officer', school);
    officer = o;
    const audits = async () => Number((await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'education_session.create').executeTakeFirstOrThrow()).n);
    const before = await audits();
    n = await seedEducation(t.db, { organisationId: school, accountId: o.accountId }, today);
    expect(await audits()).toBe(before + n);
  });
  afterAll(() => t.close());

  it('the demo officer sees the own office\'s sessions only, as generated', async () => {
    expect(n).toBe(expected.length);
    const own = expected.filter((s) => s.provinceCode === 'KH-17');
    const list = (await officer.get('/api/education/sessions?limit=500')).json();
    expect(list.total).toBe(own.length);
    const cells = (p: Record<string, Record<string, number> | undefined>) => Object.entries(p).flatMap(([sex, bands]) => Object.entries(bands ?? {}).map(([b, v]) => `${sex}/${b}=${v}`)).sort();
    const key = (s: { heldOn: string; setting: string; topic: string; participants: Record<string, Record<string, number> | undefined> }) => JSON.stringify([s.heldOn, s.setting, s.topic, cells(s.participants)]);
    expect(list.items.map(key).sort()).toEqual(own.map(key).sort());
    expect(list.items.every((s: SessionDto) => s.provinceCode === 'KH-17')).toBe(true);
  });

  it('the national view counts every office\'s sessions, by province, with small groups of people not shown', async () => {
    // a campaign that ran from 60 days ago to yesterday: its "to date" holds every demo session (never today's)
    const c = await pastCampaign(t, { nameEn: 'Seed campaign', nameKm: 'យុទ្ធនាការ', startDate: addDays(today, -60), endDate: addDays(today, -1), pillars: ['education'] });
    const res = await officer.get(`/api/education/national?period=to_date&campaignId=${c.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json();
    expect(v.sessionsTotal).toBe(expected.length);
    for (const code of ['KH-17', 'KH-12', 'KH-2', 'KH-3']) {
      const i = PROVINCE_CODES.indexOf(code);
      expect(v.sessions[i].reduce((a: number, b: number) => a + b, 0), code).toBe(expected.filter((s) => s.provinceCode === code).length);
    }
    // campaign to date is released one dimension at a time: the setting × sex table has margins only, and each
    // margin agrees with what was recorded
    expect(v.bySetting.crossed).toBe(false);
    expect(v.bySetting.cells).toEqual(SESSION_SETTINGS.map(() => []));
    const agrees = (p: unknown, n: number) => (n === 0 ? p === 0 : p === HIDDEN || (n <= 4 ? p === SMALL : typeof p === 'number' && p % 5 === 0 && bounds(p)[0] <= n && n <= bounds(p)[1]));
    const peopleOf = (ss: typeof expected, setting?: string, sex?: string) =>
      ss
        .filter((s) => setting === undefined || s.setting === setting)
        .reduce((a, s) => a + Object.entries(s.participants).filter(([x]) => sex === undefined || x === sex).reduce((b, [, bands]) => b + Object.values(bands ?? {}).reduce((c, k) => c + (k ?? 0), 0), 0), 0);
    SESSION_SETTINGS.forEach((s, i) => expect(agrees(v.bySetting.rowTotals[i], peopleOf(expected, s)), `to date ${s}: ${v.bySetting.rowTotals[i]}`).toBe(true));
    PARTICIPANT_SEXES.forEach((x, j) => expect(agrees(v.bySetting.columnTotals[j], peopleOf(expected, undefined, x)), `to date ${x}`).toBe(true));
    // the cells, on every complete calendar month the sessions fall in: each agrees with what was recorded, so a small
    // group (the Siem Reap office's prison group of three, the few women in prisons) is "<5" or not shown, never exact
    const months = [...new Set(expected.map((s) => s.heldOn.slice(0, 7)))].filter((m) => m < today.slice(0, 7));
    expect(months.length).toBeGreaterThan(0);
    for (const m of months) {
      const mv = (await officer.get(`/api/education/national?period=${m}`)).json();
      expect(mv.bySetting.crossed, m).toBe(true);
      const inMonth = expected.filter((s) => s.heldOn.startsWith(m));
      SESSION_SETTINGS.forEach((s, i) =>
        PARTICIPANT_SEXES.forEach((x, j) => expect(agrees(mv.bySetting.cells[i][j], peopleOf(inMonth, s, x)), `${m} ${s} ${x}: ${mv.bySetting.cells[i][j]}`).toBe(true)),
      );
    }
    // a campaign week, too, has margins only
    const w1 = (await officer.get(`/api/education/national?period=week:1&campaignId=${c.id}`)).json();
    expect(w1.byAgeBand.crossed).toBe(false);
    expect(w1.byAgeBand.cells.every((r: unknown[]) => r.length === 0)).toBe(true);
    // people reached in total: rounded to 5, within ±2 of what was recorded
    const people = expected.reduce((a, s) => a + participantTotal(s.participants), 0);
    expect(v.people.total % 5).toBe(0);
    const [lo, hi] = bounds(v.people.total);
    expect(people >= lo && people <= hi, `${people} published as ${v.people.total}`).toBe(true);
  });
});

describe('the demo bootstrap', () => {
  it('seeds the education sessions, which the demo education officer lists', async () => {
    const db = await freshDatabase();
    try {
      const boot = await bootstrap(db.db, { demo: true });
      expect(boot.demo!.map((d) => d.username)).toContain('demo-education');
      const app = await buildApp({ db: db.db });
      await app.ready();
      try {
        const c = new Client(app);
        expect((await c.login('demo-education', 'demo-education-password')).statusCode).toBe(200);
        const list = (await c.get('/api/education/sessions')).json();
        expect(list.total).toBe(EDUCATION_DEMO_OFFICES[0].sessions);
        expect(list.items[0].organisationName).toBe('Provincial education office (demo)');
        // the default period, the last complete month, counts the demo sessions held in it
        const v = (await c.get('/api/education/national')).json();
        expect(v.sessionsTotal).toBe(expected.filter((s) => s.heldOn >= v.period.from && s.heldOn <= v.period.to).length);
        expect(v.period.to < today).toBe(true);
      } finally {
        await app.close();
      }
    } finally {
      await db.close();
    }
  });
});
