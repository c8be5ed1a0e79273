import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers.js';
import { runCli } from './cli-helper.js';
import { openDatabase } from '../src/server/db/index.js';
import { recordAuditAlone } from '../src/server/audit/service.js';

let t: TestApp;
let oversight: string;
let auditor: Awaited<ReturnType<TestApp['user']>>;
beforeAll(async () => {
  t = await startTestApp();
  oversight = await t.org('oversight', 'national_committee', 'Audit test committee');
  auditor = await t.user('auditor', oversight);
});
afterAll(() => t.close());

const rows = (action: string, entityId?: string) => {
  let q = t.db.selectFrom('audit_log').selectAll().where('action', '=', action);
  if (entityId) q = q.where('entity_id', '=', entityId);
  return q.orderBy('seq').execute();
};
const count = async (table: 'audit_log' | 'organisations' | 'accounts' | 'districts' | 'communes') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('every write leaves an audit entry', () => {
  it('organisation create and update, with who, where and before/after', async () => {
    const res = await t.admin.post('/api/organisations', { name: 'Audited unit', sector: 'enforcement', kind: 'police_unit', provinceCode: 'KH-3' });
    const id = res.json().id;
    const [created] = await rows('organisation.create', id);
    const admin = (await t.admin.get('/api/auth/me')).json().account;
    expect(created).toMatchObject({ account_id: admin.id, organisation_id: admin.organisation.id, entity: 'organisation', ip: '127.0.0.1' });
    expect(created.details).toMatchObject({ after: { name: 'Audited unit', provinceCode: 'KH-3' } });
    await t.admin.patch(`/api/organisations/${id}`, { name: 'Audited unit renamed' });
    const [updated] = await rows('organisation.update', id);
    expect(updated.details).toMatchObject({ before: { name: 'Audited unit' }, after: { name: 'Audited unit renamed' } });
  });

  it('account create, update, password reset', async () => {
    const res = await t.admin.post('/api/accounts', { username: 'audited-analyst', role: 'analyst', organisationId: oversight });
    const id = res.json().account.id;
    const [c] = await rows('account.create', id);
    expect(c.details).toEqual({ after: { username: 'audited-analyst', role: 'analyst', organisationId: oversight } });
    expect(JSON.stringify(c.details)).not.toContain(res.json().oneTimePassword);
    await t.admin.patch(`/api/accounts/${id}`, { role: 'auditor' });
    const [u] = await rows('account.update', id);
    expect(u.details).toMatchObject({ before: { role: 'analyst' }, after: { role: 'auditor' } });
    const reset = await t.admin.post(`/api/accounts/${id}/reset-password`);
    const [r] = await rows('account.reset_password', id);
    expect(r).toBeDefined();
    expect(JSON.stringify(r)).not.toContain(reset.json().oneTimePassword);
  });

  it('geography import, sign-in, password change, locale, logout', async () => {
    const before = (await rows('geography.import')).length;
    const imp = await t.admin.post('/api/geography/import', readFileSync('reference/geography-sample-phnom-penh.csv', 'utf8'), { 'content-type': 'text/csv' });
    expect(imp.statusCode).toBe(200);
    const geo = await rows('geography.import');
    expect(geo.length).toBe(before + 1);
    expect(geo.at(-1)!.details).toMatchObject({ inserted: 20, districts: 14, communes: 6 });

    const u = await t.user('analyst', oversight); // sign-in + password change
    expect((await rows('auth.login', u.accountId)).length).toBe(1);
    expect((await rows('auth.password_changed', u.accountId)).length).toBe(1);
    await u.patch('/api/auth/me', { locale: 'km' });
    expect((await rows('account.locale', u.accountId)).map((r) => r.details)).toEqual([{ locale: 'km' }]);
    await u.post('/api/auth/logout');
    expect((await rows('auth.logout', u.accountId)).length).toBe(1);
    // no password or hash ever reaches the trail
    const all = JSON.stringify(await t.db.selectFrom('audit_log').select('details').execute());
    expect(all).not.toContain(u.password);
    expect(all).not.toMatch(/argon2/);
  });

  it('a refused write leaves no entry', async () => {
    const n = await count('audit_log');
    expect((await t.admin.post('/api/organisations', { name: 'x' })).statusCode).toBe(400);
    expect((await auditor.post('/api/organisations', { name: 'Nope unit', sector: 'enforcement', kind: 'police_unit', provinceCode: 'KH-3' })).statusCode).toBe(403);
    expect(await count('audit_log')).toBe(n);
  });
});

describe('the audit entry is written in the same transaction as the change', () => {
  // A test-only trigger makes the audit insert fail for one action: the change itself must then be rolled back.
  beforeAll(async () => {
    await sql`create table test_fail_audit (action text primary key)`.execute(t.db);
    await sql`create function test_fail_audit_fn() returns trigger language plpgsql as $$
      begin if exists (select 1 from test_fail_audit where action = new.action) then raise exception 'test: audit refused'; end if; return new; end $$`.execute(t.db);
    await sql`create trigger test_fail_audit_trg before insert on audit_log for each row execute function test_fail_audit_fn()`.execute(t.db);
  });
  afterAll(async () => {
    await sql`drop trigger test_fail_audit_trg on audit_log`.execute(t.db);
    await sql`drop function test_fail_audit_fn()`.execute(t.db);
    await sql`drop table test_fail_audit`.execute(t.db);
  });
  const failing = async (action: string, fn: () => Promise<void>) => {
    await sql`insert into test_fail_audit (action) values (${action})`.execute(t.db);
    try {
      await fn();
    } finally {
      await sql`delete from test_fail_audit`.execute(t.db);
    }
  };

  it('organisation create / update', async () => {
    const orgs = await count('organisations');
    await failing('organisation.create', async () => {
      const r = await t.admin.post('/api/organisations', { name: 'Never stored', sector: 'health', kind: 'ngo', provinceCode: 'KH-1' });
      expect(r.statusCode).toBe(500);
      expect(r.json().error).toEqual({ code: 'internal', message: 'internal error', fields: [] });
    });
    expect(await count('organisations')).toBe(orgs);
    await failing('organisation.update', async () => {
      expect((await t.admin.patch(`/api/organisations/${oversight}`, { name: 'Never renamed' })).statusCode).toBe(500);
    });
    expect((await t.admin.get(`/api/organisations/${oversight}`)).json().name).toBe('Audit test committee');
  });

  it('account create / update / reset', async () => {
    const accounts = await count('accounts');
    await failing('account.create', async () => {
      expect((await t.admin.post('/api/accounts', { username: 'never-created', role: 'analyst', organisationId: oversight })).statusCode).toBe(500);
    });
    expect(await count('accounts')).toBe(accounts);
    const u = await t.user('analyst', oversight);
    await failing('account.update', async () => {
      expect((await t.admin.patch(`/api/accounts/${u.accountId}`, { disabled: true })).statusCode).toBe(500);
    });
    expect((await u.get('/api/auth/me')).statusCode).toBe(200); // not disabled, session not revoked
    await failing('account.reset_password', async () => {
      expect((await t.admin.post(`/api/accounts/${u.accountId}/reset-password`)).statusCode).toBe(500);
    });
    expect((await t.anon().login(u.username, u.password)).statusCode).toBe(200);
  });

  it('password change, locale, sign-in', async () => {
    const u = await t.user('analyst', oversight);
    await failing('auth.password_changed', async () => {
      expect((await u.post('/api/auth/password', { currentPassword: u.password, newPassword: 'never-set-password' })).statusCode).toBe(500);
    });
    expect((await t.anon().login(u.username, u.password)).statusCode).toBe(200);
    await failing('account.locale', async () => {
      expect((await u.patch('/api/auth/me', { locale: 'km' })).statusCode).toBe(500);
    });
    expect((await u.get('/api/auth/me')).json().account.locale).toBe('en');
    const sessions = await t.db.selectFrom('sessions').select('id').where('account_id', '=', u.accountId).execute();
    await failing('auth.login', async () => {
      expect((await t.anon().login(u.username, u.password)).statusCode).toBe(500);
    });
    expect((await t.db.selectFrom('sessions').select('id').where('account_id', '=', u.accountId).execute()).length).toBe(sessions.length);
  });

  it('geography import', async () => {
    const d = await count('districts');
    await failing('geography.import', async () => {
      const r = await t.admin.post('/api/geography/import', 'level,code,parent_code,name_en,name_km\ndistrict,0101,KH-1,Mongkol Borei,មង្គលបូរី\n', { 'content-type': 'text/csv' });
      expect(r.statusCode).toBe(500);
    });
    expect(await count('districts')).toBe(d);
  });
});

describe('the chain', () => {
  it('verifies as an auditor: ok, every row checked', async () => {
    const res = await auditor.get('/api/audit/verify');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, checked: await count('audit_log') });
    const rowsAll = await t.db.selectFrom('audit_log').select(['seq', 'prev_hash', 'hash']).orderBy('seq').execute();
    expect(rowsAll[0].prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rowsAll.length; i++) expect(rowsAll[i].prev_hash).toBe(rowsAll[i - 1].hash);
  });

  it('the auditor reads the trail newest first, in pages', async () => {
    const first = await auditor.get('/api/audit?limit=3');
    expect(first.statusCode).toBe(200);
    const items = first.json().items;
    expect(items).toHaveLength(3);
    expect(items[0].seq).toBeGreaterThan(items[1].seq);
    expect(items[0]).toMatchObject({ action: expect.any(String), entity: expect.any(String), at: expect.any(String) });
    const next = await auditor.get(`/api/audit?limit=3&before=${items[2].seq}`);
    expect(next.json().items[0].seq).toBeLessThan(items[2].seq);
    expect((await auditor.get('/api/audit?limit=501')).statusCode).toBe(400);
    expect((await auditor.get('/api/audit?sort=asc')).statusCode).toBe(400);
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE on the audit trail', async () => {
    const n = await count('audit_log');
    await expect(t.db.updateTable('audit_log').set({ action: 'forged' }).where('seq', '=', 2 as never).execute()).rejects.toThrow(/append-only/);
    await expect(t.db.deleteFrom('audit_log').where('seq', '=', 2 as never).execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
    expect(await count('audit_log')).toBe(n);
    expect((await auditor.get('/api/audit/verify')).json().ok).toBe(true);
  });

  it('a changed row is found (by the owner, bypassing the trigger): firstBroken is that row', async () => {
    const target = (await t.db.selectFrom('audit_log').select(['seq', 'details']).where('action', '=', 'organisation.update').orderBy('seq').executeTakeFirstOrThrow());
    const seq = Number(target.seq);
    const original = JSON.stringify(target.details);
    const forged = JSON.stringify({ ...(target.details as object), forged: true });
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(t.db);
    await sql`update audit_log set details = ${forged}::jsonb where seq = ${seq}`.execute(t.db);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(t.db);
    const broken = (await auditor.get('/api/audit/verify')).json();
    expect(broken.ok).toBe(false);
    expect(broken.firstBroken.seq).toBe(seq);
    expect(broken.firstBroken.reason).toMatch(/changed/);
    expect(broken.checked).toBe(seq - 1);
    // the trigger is back on
    await expect(t.db.updateTable('audit_log').set({ details: original }).where('seq', '=', seq as never).execute()).rejects.toThrow(/append-only/);
    // putting the content back makes the chain whole again: the verification is about the content
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(t.db);
    await sql`update audit_log set details = ${original}::jsonb where seq = ${seq}`.execute(t.db);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(t.db);
    expect((await auditor.get('/api/audit/verify')).json().ok).toBe(true);
  });

  it('a changed hash (recomputed by a forger without the following rows) is found at the next row', async () => {
    const [a] = await t.db.selectFrom('audit_log').select(['seq']).where('action', '=', 'account.create').orderBy('seq').limit(1).execute();
    const seq = Number(a.seq);
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(t.db);
    const old = (await sql<{ hash: string }>`select hash from audit_log where seq = ${seq}`.execute(t.db)).rows[0].hash;
    await sql`update audit_log set hash = ${'f'.repeat(64)} where seq = ${seq}`.execute(t.db);
    const r = (await auditor.get('/api/audit/verify')).json();
    await sql`update audit_log set hash = ${old} where seq = ${seq}`.execute(t.db);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(t.db);
    expect(r.ok).toBe(false);
    expect(r.firstBroken.seq).toBe(seq);
    expect((await auditor.get('/api/audit/verify')).json().ok).toBe(true);
  });

  it('a deleted middle row is found at the next row (last: the chain stays broken)', async () => {
    const all = await t.db.selectFrom('audit_log').select('seq').orderBy('seq').execute();
    const mid = Number(all[Math.floor(all.length / 2)].seq);
    const next = Number(all[Math.floor(all.length / 2) + 1].seq);
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(t.db);
    await sql`delete from audit_log where seq = ${mid}`.execute(t.db);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(t.db);
    const r = (await auditor.get('/api/audit/verify')).json();
    expect(r.ok).toBe(false);
    expect(r.firstBroken.seq).toBe(next);
    expect(r.firstBroken.reason).toMatch(/link broken/);
  });
});

describe('CLI verify-audit (temporary PGlite folder)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tonle-audit-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('after migrate: exit 0 and "chain intact"; after tampering: exit 1 naming the row', async () => {
    const m = await runCli(['migrate'], dir);
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toContain('database is up to date');

    const empty = await runCli(['verify-audit'], dir);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toContain('0 entries, chain intact');

    const opened = await openDatabase({ dataDir: dir });
    const who = { accountId: null, organisationId: null, ip: 'test' };
    for (let i = 1; i <= 3; i++) await recordAuditAlone(opened.db, who, { action: 'test.entry', entity: 'test', details: { i } });
    await opened.close();
    const ok = await runCli(['verify-audit'], dir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('audit trail verified: 3 entries, chain intact');

    const again = await openDatabase({ dataDir: dir });
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(again.db);
    await sql`update audit_log set details = '{"i": 99}'::jsonb where seq = 2`.execute(again.db);
    await again.close();
    const bad = await runCli(['verify-audit'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('audit trail BROKEN at entry 2');
    expect(bad.stdout).not.toContain('chain intact');
  });

  it('an unknown command exits 2 with the list of commands', async () => {
    const r = await runCli(['frobnicate'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('verify-audit');
  });
});
