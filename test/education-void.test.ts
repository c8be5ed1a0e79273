/**
 * Voiding an education session entered in error (docs/treatment-api.md, "Education sessions"): the officer of the
 * session's organisation voids it with a reason; it is never deleted, it is audited, and it leaves the officer's list
 * and total and every national figure (the view and its CSV tables equal what they were before it was recorded).
 * Another organisation's session answers exactly as an unknown one; a second void is 409; bad input is 400 naming
 * the field; a refusal writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import type { SessionDto } from '../src/core/education.js';

let t: TestApp;
let officer: Client & { accountId: string };
let other: Client;
let analyst: Client;
let orgA: string;
// the sessions are held in November 2025 and the national view is asked for that month
const NOV = (d: number) => `2025-11-${String(d).padStart(2, '0')}`;
const UNKNOWN = '00000000-0000-4000-8000-00000000beef';

const session = (over: Record<string, unknown> = {}) => ({
  heldOn: NOV(18),
  provinceCode: 'KH-12',
  setting: 'school',
  topic: 'drug_risks',
  participants: { female: { '15_17': 22, '18_24': 8 }, male: { '15_17': 20 } },
  ...over,
});

/** Everything a void could write: the void columns of every session and the audit log. */
async function snapshot() {
  const sessions = await t.db.selectFrom('education_sessions').select(['id', 'voided_at', 'void_reason']).orderBy('id').execute();
  const parts = await t.db.selectFrom('education_participants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const audit = await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { sessions, parts: Number(parts.n), audit: Number(audit.n) };
}

/** The national view and its three CSV tables for the test's month. */
async function national() {
  const view = (await analyst.get('/api/education/national?period=2025-11')).json();
  const csv: Record<string, string> = {};
  for (const table of ['province', 'setting', 'age']) csv[table] = (await analyst.get(`/api/education/national.csv?period=2025-11&table=${table}`)).body;
  return { view, csv };
}

const voidUrl = (id: string) => `/api/education/sessions/${id}/void`;

beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: 100_000 });
  orgA = await t.org('education', 'education_office', 'Void office A', 'KH-12');
  const orgB = await t.org('education', 'education_office', 'Void office B', 'KH-17');
  officer = await t.user('education_officer', orgA);
  other = await t.user('education_officer', orgB);
  analyst = await t.user('analyst', await t.org('oversight', 'national_committee', 'Void committee'));
  // sessions that stay: one of A, one of B
  expect((await officer.post('/api/education/sessions', session({ heldOn: NOV(11) }))).statusCode).toBe(201);
  expect((await other.post('/api/education/sessions', session({ provinceCode: 'KH-17', setting: 'community', topic: 'life_skills' }))).statusCode).toBe(201);
});
afterAll(() => t.close());

describe('voiding a session', () => {
  let before: Awaited<ReturnType<typeof national>>;
  let mistake: SessionDto;

  it('a recorded session first counts in the list and every national figure', async () => {
    before = await national();
    expect(before.view.sessionsTotal).toBe(2);
    const res = await officer.post('/api/education/sessions', session({ setting: 'prison', topic: 'law_and_rights', participants: { male: { '25_34': 40, '35_49': 9 }, female: { '25_34': 30 } } }));
    expect(res.statusCode, res.body).toBe(201);
    mistake = res.json();
    expect(mistake).toMatchObject({ voidedAt: null, voidReason: null });
    const list = (await officer.get('/api/education/sessions')).json();
    expect(list.total).toBe(2);
    expect(list.items.map((s: SessionDto) => s.id)).toContain(mistake.id);
    const after = await national();
    expect(after.view.sessionsTotal).toBe(3);
    expect(after.view).not.toEqual(before.view);
    for (const table of ['province', 'setting', 'age']) expect(after.csv[table], table).not.toEqual(before.csv[table]);
  });

  it('refuses bad input with 400 naming the field and writes nothing', async () => {
    const snap = await snapshot();
    const cases: [string, unknown, string, string | RegExp][] = [
      [voidUrl(mistake.id), { reason: 'entered_in_error', note: 'typo' }, 'note', /not an accepted field/],
      [voidUrl(mistake.id), { reason: 'mistake' }, 'reason', 'choose a reason'],
      [voidUrl(mistake.id), { reason: 3 }, 'reason', 'choose a reason'],
      [voidUrl(mistake.id), {}, 'reason', 'is required'],
      [voidUrl('not-an-id'), { reason: 'duplicate' }, 'params.id', /./],
    ];
    for (const [url, body, path, message] of cases) {
      const res = await officer.post(url, body);
      const label = `${url} ${JSON.stringify(body)} → ${res.body}`;
      expect(res.statusCode, label).toBe(400);
      const f = res.json().error.fields.find((x: { path: string }) => x.path === path);
      expect(f, label).toBeDefined();
      expect(f.message, label).toMatch(message);
    }
    expect(await snapshot()).toEqual(snap);
  });

  it('another organisation\'s session answers exactly as an unknown one (404), and nothing is written', async () => {
    const snap = await snapshot();
    const theirs = await other.post(voidUrl(mistake.id), { reason: 'duplicate' });
    const unknown = await other.post(voidUrl(UNKNOWN), { reason: 'duplicate' });
    expect(theirs.statusCode, theirs.body).toBe(404);
    expect(unknown.statusCode, unknown.body).toBe(404);
    expect(theirs.json()).toEqual(unknown.json());
    expect((await officer.post(voidUrl(UNKNOWN), { reason: 'duplicate' })).statusCode).toBe(404);
    // roles without education.write are refused before anything else
    expect((await analyst.post(voidUrl(mistake.id), { reason: 'duplicate' })).statusCode).toBe(403);
    expect((await t.anon().post(voidUrl(mistake.id), { reason: 'duplicate' })).statusCode).toBe(401);
    expect(await snapshot()).toEqual(snap);
  });

  it('voids the own session: 200 with the session marked, audited with the reason, never deleted', async () => {
    const audits = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'education_session.void').execute();
    expect(audits).toHaveLength(0);
    const res = await officer.post(voidUrl(mistake.id), { reason: 'entered_in_error' });
    expect(res.statusCode, res.body).toBe(200);
    const dto: SessionDto = res.json();
    expect(dto).toEqual({ ...mistake, voidedAt: expect.any(String), voidReason: 'entered_in_error' });
    expect(Date.parse(dto.voidedAt!)).toBeGreaterThanOrEqual(Date.parse(mistake.createdAt));
    const row = await t.db.selectFrom('education_sessions').selectAll().where('id', '=', mistake.id).executeTakeFirstOrThrow();
    expect(row.void_reason).toBe('entered_in_error');
    expect(row.voided_at).not.toBeNull();
    expect(await t.db.selectFrom('education_participants').select('count').where('session_id', '=', mistake.id).execute()).toHaveLength(3);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'education_session.void').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity: 'education_session', entity_id: mistake.id, account_id: officer.accountId, organisation_id: orgA, details: { reason: 'entered_in_error' } });
  });

  it('the voided session leaves the officer\'s list and total and every national figure', async () => {
    const list = (await officer.get('/api/education/sessions')).json();
    expect(list.total).toBe(1);
    expect(list.items.map((s: SessionDto) => s.id)).not.toContain(mistake.id);
    const ranged = (await officer.get(`/api/education/sessions?from=${NOV(17)}&to=${NOV(30)}`)).json();
    expect(ranged).toEqual({ items: [], total: 0 });
    // the national view and each CSV table are what they were before the session was recorded
    const after = await national();
    expect(after.view).toEqual(before.view);
    expect(after.csv).toEqual(before.csv);
  });

  it('a second void is 409 at reason and writes nothing', async () => {
    const snap = await snapshot();
    const res = await officer.post(voidUrl(mistake.id), { reason: 'duplicate' });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.fields).toEqual([{ path: 'reason', message: 'this session is already voided' }]);
    expect(await snapshot()).toEqual(snap);
    expect((await t.db.selectFrom('education_sessions').select('void_reason').where('id', '=', mistake.id).executeTakeFirstOrThrow()).void_reason).toBe('entered_in_error');
  });

  it('two voids at once: one 200, one 409, one audit entry', async () => {
    const s = (await officer.post('/api/education/sessions', session({ heldOn: NOV(16) }))).json() as SessionDto;
    const [a, b] = await Promise.all([officer.post(voidUrl(s.id), { reason: 'duplicate' }), officer.post(voidUrl(s.id), { reason: 'entered_in_error' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const audit = await t.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'education_session.void').where('entity_id', '=', s.id).execute();
    expect(audit).toHaveLength(1);
  });
});
