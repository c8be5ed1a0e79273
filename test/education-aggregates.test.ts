/**
 * The education pillar's maintained aggregates (src/server/education/aggregates.ts) through the real server:
 *  - a property test (fast-check): random sequences of sessions recorded by several organisations and of voids —
 *    including a second void of the same session (409), a void by another organisation (404) and two voids at once —
 *    after which `verify` is clean, the summaries equal a rebuild row for row, and the national view's exact session
 *    counts equal the sessions recorded and not voided;
 *  - a void removes the session's contribution in its own transaction (a refused void changes no summary row);
 *  - tampering a summary (a count changed, a row removed, a row added) makes `verify` fail with the difference named,
 *    and `rebuild` repairs it;
 *  - the CLI's `verify-aggregates` list includes the pillar.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import { PARTICIPANT_AGE_BANDS, PARTICIPANT_SEXES, SESSION_SETTINGS, SESSION_TOPICS, type SessionDto } from '../src/core/education.js';
import { educationAggregates } from '../src/server/education/aggregates.js';
import { AGGREGATE_MAINTAINERS } from '../src/server/aggregates/all.js';
import { PROVINCE_CODES } from '../src/core/geography.js';

let t: TestApp;
let officers: (Client & { accountId: string })[];
let orgs: string[];
let analyst: Client;

beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: 100_000 });
  const imp = await t.admin.post('/api/geography/import', readFileSync('reference/geography-sample-phnom-penh.csv', 'utf8'), { 'content-type': 'text/csv' });
  expect(imp.statusCode).toBe(200);
  orgs = [
    await t.org('education', 'education_office', 'Aggregates office A', 'KH-12'),
    await t.org('education', 'education_office', 'Aggregates office B', 'KH-17'),
    await t.org('education', 'education_office', 'Aggregates office C', 'KH-3'),
  ];
  officers = [];
  for (const o of orgs) officers.push(await t.user('education_officer', o));
  analyst = await t.user('analyst', await t.org('oversight', 'national_committee', 'Aggregates committee'));
});
afterAll(() => t.close());

/** Both summary tables, every row, in a fixed order (dates as text). */
async function summaries() {
  const sessions = await sql<Record<string, unknown>>`
    select organisation_id::text, held_on::text, province_code, district_code, setting, topic, sessions
    from education_sessions_daily order by 1, 2, 3, 4, 5, 6`.execute(t.db);
  const people = await sql<Record<string, unknown>>`
    select organisation_id::text, held_on::text, province_code, setting, sex, age_band, participants::int8
    from education_people_daily order by 1, 2, 3, 4, 5, 6`.execute(t.db);
  return { sessions: sessions.rows, people: people.rows };
}

// a few days of January 2025 (one month, so the national view of 2025-01 sees all of them), few codes: collisions
// in the summary keys are frequent
const DAYS = ['2025-01-06', '2025-01-07', '2025-01-20', '2025-01-31'];
const participantsArb = fc
  .array(fc.record({ sex: fc.constantFrom(...PARTICIPANT_SEXES), band: fc.constantFrom(...PARTICIPANT_AGE_BANDS.slice(0, 3)), n: fc.integer({ min: 0, max: 12 }) }), { minLength: 1, maxLength: 4 })
  .map((cells) => {
    const p: Record<string, Record<string, number>> = {};
    for (const c of cells) (p[c.sex] ??= {})[c.band] = c.n;
    return p;
  })
  .filter((p) => Object.values(p).some((b) => Object.values(b).some((n) => n > 0)));
const command = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      who: fc.integer({ min: 0, max: 2 }),
      heldOn: fc.constantFrom(...DAYS),
      provinceCode: fc.constantFrom('KH-12', 'KH-17', 'KH-3'),
      district: fc.boolean(),
      setting: fc.constantFrom(...SESSION_SETTINGS.slice(0, 3)),
      topic: fc.constantFrom(...SESSION_TOPICS.slice(0, 2)),
      participants: participantsArb,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat(), again: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('foreignVoid' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('doubleVoid' as const), pick: fc.nat() }) },
);

describe('maintained aggregates under random writes', () => {
  it('after any sequence of sessions and voids, verify is clean and the summaries equal a rebuild', async () => {
    const live: { id: string; who: number }[] = [];
    const voided: { id: string; who: number }[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (cmds) => {
        for (const c of cmds) {
          if (c.kind === 'create') {
            const body = {
              heldOn: c.heldOn,
              provinceCode: c.provinceCode,
              // the only imported district is in KH-12 (see below)
              districtCode: c.district && c.provinceCode === 'KH-12' ? '1201' : null,
              setting: c.setting,
              topic: c.topic,
              participants: c.participants,
            };
            const res = await officers[c.who].post('/api/education/sessions', body);
            expect(res.statusCode, res.body).toBe(201);
            live.push({ id: (res.json() as SessionDto).id, who: c.who });
          } else if (c.kind === 'void' && live.length) {
            const [s] = live.splice(c.pick % live.length, 1);
            expect((await officers[s.who].post(`/api/education/sessions/${s.id}/void`, { reason: 'entered_in_error' })).statusCode).toBe(200);
            voided.push(s);
            // a second void is refused and must not take the session out twice
            if (c.again) expect((await officers[s.who].post(`/api/education/sessions/${s.id}/void`, { reason: 'duplicate' })).statusCode).toBe(409);
          } else if (c.kind === 'foreignVoid' && live.length) {
            const s = live[c.pick % live.length];
            const before = await summaries();
            expect((await officers[(s.who + 1) % 3].post(`/api/education/sessions/${s.id}/void`, { reason: 'duplicate' })).statusCode).toBe(404);
            expect(await summaries()).toEqual(before);
          } else if (c.kind === 'doubleVoid' && live.length) {
            const [s] = live.splice(c.pick % live.length, 1);
            const o = officers[s.who];
            const codes = (await Promise.all([o.post(`/api/education/sessions/${s.id}/void`, { reason: 'duplicate' }), o.post(`/api/education/sessions/${s.id}/void`, { reason: 'entered_in_error' })])).map((r) => r.statusCode);
            expect(codes.sort()).toEqual([200, 409]);
            voided.push(s);
          }
        }
        const v = await educationAggregates.verify(t.db);
        expect(v, JSON.stringify(v)).toMatchObject({ ok: true });
        const kept = await summaries();
        await educationAggregates.rebuild(t.db);
        expect(await summaries()).toEqual(kept);
        // the national view reads the summaries: its exact session counts are the sessions not voided
        const n = (await analyst.get('/api/education/national?period=2025-01')).json();
        expect(n.sessionsTotal).toBe(live.length);
        for (const code of ['KH-12', 'KH-17', 'KH-3']) {
          const { c } = await t.db
            .selectFrom('education_sessions')
            .select((eb) => eb.fn.countAll<number>().as('c'))
            .where('province_code', '=', code)
            .where('voided_at', 'is', null)
            .executeTakeFirstOrThrow();
          expect((n.sessions[PROVINCE_CODES.indexOf(code)] as number[]).reduce((a, b) => a + b, 0), code).toBe(Number(c));
        }
      }),
      { numRuns: 12 },
    );
    expect(voided.length + live.length).toBeGreaterThan(0);
  }, 240_000);
});

describe('verify and rebuild', () => {
  it('a changed count, a removed row and an added row each make verify fail, naming the difference; rebuild repairs', async () => {
    // make sure there is a row of each table to tamper with
    expect((await officers[0].post('/api/education/sessions', { heldOn: '2025-02-03', provinceCode: 'KH-12', setting: 'school', topic: 'drug_risks', participants: { female: { '15_17': 7 } } })).statusCode).toBe(201);
    expect(await educationAggregates.verify(t.db)).toMatchObject({ ok: true });

    await sql`update education_people_daily set participants = participants + 1 where held_on = '2025-02-03'`.execute(t.db);
    const changed = await educationAggregates.verify(t.db);
    expect(changed.ok).toBe(false);
    expect(!changed.ok && changed.difference).toBe(`education_people_daily: organisation ${orgs[0]}, 2025-02-03, KH-12, school, female, 15_17: the summary has 8, the sessions give 7`);
    await educationAggregates.rebuild(t.db);
    expect(await educationAggregates.verify(t.db)).toMatchObject({ ok: true });

    await sql`delete from education_sessions_daily where held_on = '2025-02-03'`.execute(t.db);
    const removed = await educationAggregates.verify(t.db);
    expect(!removed.ok && removed.difference).toBe(`education_sessions_daily: organisation ${orgs[0]}, 2025-02-03, KH-12, district '', school, drug_risks: the summary has no row, the sessions give 1`);
    await educationAggregates.rebuild(t.db);

    await sql`insert into education_people_daily (organisation_id, held_on, province_code, setting, sex, age_band, participants)
      values (${orgs[1]}, '2025-02-04', 'KH-17', 'prison', 'male', '25_34', 3)`.execute(t.db);
    const added = await educationAggregates.verify(t.db);
    expect(!added.ok && added.difference).toBe(`education_people_daily: organisation ${orgs[1]}, 2025-02-04, KH-17, prison, male, 25_34: the summary has 3, the sessions give 0`);
    await educationAggregates.rebuild(t.db);
    const ok = await educationAggregates.verify(t.db);
    expect(ok).toMatchObject({ ok: true });
    expect(ok.ok && ok.checked).toBeGreaterThan(0);
  });

  it('a void takes the session out of both summaries in its transaction; the emptied rows are gone', async () => {
    const res = await officers[2].post('/api/education/sessions', { heldOn: '2025-03-05', provinceCode: 'KH-3', setting: 'workplace', topic: 'services', participants: { male: { '35_49': 9 }, female: { '35_49': 2 } } });
    expect(res.statusCode).toBe(201);
    const rows = async () => ({
      s: await t.db.selectFrom('education_sessions_daily').selectAll().where('held_on', '=', '2025-03-05').execute(),
      p: await t.db.selectFrom('education_people_daily').select(['sex', 'participants']).where('held_on', '=', '2025-03-05').orderBy('sex').execute(),
    });
    const before = await rows();
    expect(before.s.map((r) => r.sessions)).toEqual([1]);
    expect(before.p).toEqual([
      { sex: 'female', participants: 2 },
      { sex: 'male', participants: 9 },
    ]);
    expect((await officers[2].post(`/api/education/sessions/${res.json().id}/void`, { reason: 'duplicate' })).statusCode).toBe(200);
    expect(await rows()).toEqual({ s: [], p: [] });
    expect(await educationAggregates.verify(t.db)).toMatchObject({ ok: true });
  });

  it('is in the list that rebuild-aggregates and verify-aggregates run', () => {
    expect(AGGREGATE_MAINTAINERS).toContain(educationAggregates);
    expect(educationAggregates.name).toBe('education');
  });
});
