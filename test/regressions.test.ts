/**
 * Regressions: bugs found by the first test pass (races, NUL characters, closed organisations, unknown query
 * parameters, self-closing), each written as a test that failed before its fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers.js';
import { validateGeographyCsv } from '../src/core/geography-import.js';

describe('regressions', () => {
  let t: TestApp;
  let org: string;
  beforeAll(async () => {
    t = await startTestApp({ loginRateLimit: 10_000 });
    org = await t.org('oversight', 'national_committee', 'Known bugs committee');
  });
  afterAll(() => t.close());

  it('BUG 1: a concurrent burst of 20 wrong passwords locks the account (lost update on failed_logins)', async () => {
    const u = await t.user('analyst', org);
    const res = await Promise.all(Array.from({ length: 20 }, (_, i) => t.anon().login(u.username, `wrong-password-${i}`)));
    expect(res.map((r) => r.statusCode)).toContain(423);
    const locked = await t.db.selectFrom('audit_log').select('seq').where('action', '=', 'auth.locked').where('entity_id', '=', u.accountId).execute();
    expect(locked.length).toBe(1);
    expect((await t.anon().login(u.username, u.password)).statusCode).toBe(423);
  });

  it('BUG 2: a sign-in with NUL or a lone surrogate in the username is refused like any bad sign-in, not a 500', async () => {
    for (const username of ['ad\u0000min', '\ud800admin']) {
      const res = await t.anon().post('/api/auth/login', { username, password: 'whatever-password' });
      expect(res.statusCode, JSON.stringify(username)).toBeLessThan(500);
      expect([400, 401]).toContain(res.statusCode);
    }
  });

  it('BUG 3: concurrent creation of the same username gives one 201 and 409s, never a 500', async () => {
    const rs = await Promise.all([1, 2, 3, 4].map(() => t.admin.post('/api/accounts', { username: 'race-name', role: 'analyst', organisationId: org })));
    const codes = rs.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409]);
  });

  it('BUG 4: a geography problem is reported at its spreadsheet row even after a quoted multi-line cell', () => {
    const text = ['level,code,parent_code,name_en,name_km', 'district,1201,KH-12,"Chamkar\nMon",ចំការមន', 'district,1202,KH-12,Doun Penh,Latin'].join('\n');
    const r = validateGeographyCsv(text, new Set());
    // spreadsheet rows: header 1, Chamkar Mon 2, Doun Penh 3 (the file line of Doun Penh is 4)
    expect(r.problems.find((p) => p.column === 'name_km')).toEqual({ row: 3, column: 'name_km', message: 'must be written in Khmer script' });
  });

  it('BUG 5: an account of a closed organisation cannot sign in', async () => {
    const closing = await t.org('education', 'education_office', 'Soon closed office');
    const u = await t.user('education_officer', closing);
    await t.admin.patch(`/api/organisations/${closing}`, { status: 'closed' });
    const res = await t.anon().login(u.username, u.password);
    expect(res.statusCode).toBe(403);
  });

  it('BUG 6: unknown query parameters are refused on routes without a query schema, as everywhere else', async () => {
    const res = await t.admin.get('/api/organisations?phone=012345678');
    expect(res.statusCode).toBe(400);
  });

  it('BUG 7: an administrator cannot close their own organisation', async () => {
    const me = (await t.admin.get('/api/auth/me')).json().account;
    const res = await t.admin.patch(`/api/organisations/${me.organisation.id}`, { status: 'closed' });
    expect(res.statusCode).toBe(400);
    expect((await t.admin.get('/api/auth/me')).statusCode).toBe(200);
  });
});
