import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, startTestApp, type TestApp } from './helpers.js';

let t: TestApp;
let org: string;
beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: 10_000 });
  org = await t.org('oversight', 'national_committee', 'Auth test committee');
});
afterAll(() => t.close());

const auditOf = (accountId: string, action: string) =>
  t.db.selectFrom('audit_log').select(['seq', 'details']).where('entity_id', '=', accountId).where('action', '=', action).execute();

describe('sign-in', () => {
  it('signs in: returns the account and a CSRF token, sets an HttpOnly SameSite=Strict session cookie', async () => {
    const u = await t.user('analyst', org);
    const c = t.anon();
    const res = await c.login(u.username, u.password);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.account).toMatchObject({ username: u.username, role: 'analyst', mustChangePassword: false, organisation: { id: org, sector: 'oversight' } });
    expect(body.csrfToken).toEqual(expect.any(String));
    expect(body.csrfToken.length).toBeGreaterThanOrEqual(20);
    expect(JSON.stringify(body)).not.toMatch(/password_hash|argon2/);
    const cookie = res.cookies.find((k) => k.name === 'tonle_sid')!;
    expect(cookie).toBeDefined();
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(cookie.path).toBe('/');
    const raw = [res.headers['set-cookie']].flat().join(';');
    expect(raw).toMatch(/HttpOnly/);
    expect(raw).toMatch(/SameSite=Strict/);
    expect((await c.get('/api/auth/me')).json().account.id).toBe(u.accountId);
    expect((await auditOf(u.accountId, 'auth.login')).length).toBeGreaterThanOrEqual(2);
  });

  it('user names are matched case-insensitively and trimmed', async () => {
    const u = await t.user('analyst', org);
    expect((await t.anon().login(`  ${u.username.toUpperCase()} `, u.password)).statusCode).toBe(200);
  });

  it('a wrong password and an unknown username get the same 401 bad_credentials answer', async () => {
    const u = await t.user('analyst', org);
    const wrong = await t.anon().login(u.username, 'not-the-password');
    const unknown = await t.anon().login('nobody-by-this-name', 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: { code: 'bad_credentials', message: 'wrong username or password', fields: [] } });
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.cookies.find((k) => k.name === 'tonle_sid')).toBeUndefined();
    const failed = await t.db.selectFrom('audit_log').select(['details']).where('action', '=', 'auth.login_failed').execute();
    expect(failed.some((r) => JSON.stringify(r.details).includes('unknown_username'))).toBe(true);
  });

  it('logout ends the session and clears the cookie', async () => {
    const u = await t.user('analyst', org);
    const res = await u.post('/api/auth/logout');
    expect(res.statusCode).toBe(204);
    const cleared = res.cookies.find((k) => k.name === 'tonle_sid');
    expect(cleared?.value ?? '').toBe('');
    expect((await u.get('/api/auth/me')).statusCode).toBe(401);
    expect((await auditOf(u.accountId, 'auth.logout')).length).toBe(1);
  });

  it('a forged or garbage session cookie is simply signed out', async () => {
    const c = t.anon();
    c.cookie = 'tonle_sid=' + 'A'.repeat(43);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
    c.cookie = 'tonle_sid=' + 'x'.repeat(5000);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });
});

describe('lockout', () => {
  it('20 wrong passwords in a row lock the account; the right password is then refused too; the trail records it', async () => {
    const u = await t.user('analyst', org);
    const statuses: number[] = [];
    let lockedBody: { error: { code: string }; lockedUntil?: string } | undefined;
    for (let i = 0; i < 20; i++) {
      const r = await t.anon().login(u.username, `wrong-password-${i}`);
      statuses.push(r.statusCode);
      if (r.statusCode === 423) lockedBody = r.json();
    }
    expect(statuses).toContain(423);
    const firstLocked = statuses.indexOf(423);
    expect(firstLocked).toBeGreaterThan(0);
    expect(statuses.slice(0, firstLocked).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(firstLocked).every((s) => s === 423)).toBe(true);
    expect(lockedBody!.error.code).toBe('locked');
    expect(new Date(lockedBody!.lockedUntil!).getTime()).toBeGreaterThan(Date.now());

    const right = await t.anon().login(u.username, u.password);
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('locked');
    expect(right.cookies.find((k) => k.name === 'tonle_sid')).toBeUndefined();

    // The attempt that reaches the limit is itself a failed attempt (audited as such) and is answered 423;
    // every attempt after it is refused without checking the password.
    expect((await auditOf(u.accountId, 'auth.login_failed')).length).toBe(firstLocked + 1);
    expect((await auditOf(u.accountId, 'auth.locked')).length).toBe(1);
    expect((await auditOf(u.accountId, 'auth.login_refused')).length).toBe(20 - (firstLocked + 1) + 1);

    const acc = await t.admin.get(`/api/accounts/${u.accountId}`);
    expect(acc.json().lockedUntil).not.toBeNull();
  });

  it('an administrator\'s password reset unlocks the account with a new one-time password', async () => {
    const u = await t.user('analyst', org);
    for (let i = 0; i < 6; i++) await t.anon().login(u.username, 'wrong-password');
    expect((await t.anon().login(u.username, u.password)).statusCode).toBe(423);
    const reset = await t.admin.post(`/api/accounts/${u.accountId}/reset-password`);
    expect(reset.statusCode).toBe(200);
    expect(reset.json().account.lockedUntil).toBeNull();
    expect(reset.json().account.mustChangePassword).toBe(true);
    const otp = reset.json().oneTimePassword;
    expect((await t.anon().login(u.username, u.password)).statusCode).toBe(401); // the old password is gone
    const c = t.anon();
    const r = await c.login(u.username, otp);
    expect(r.statusCode).toBe(200);
    expect(r.json().account.mustChangePassword).toBe(true);
    // the reset also signed out the account's earlier sessions
    expect((await u.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('a successful sign-in resets the failure counter', async () => {
    const u = await t.user('analyst', org);
    for (let i = 0; i < 4; i++) expect((await t.anon().login(u.username, 'wrong-password')).statusCode).toBe(401);
    expect((await t.anon().login(u.username, u.password)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await t.anon().login(u.username, 'wrong-password')).statusCode).toBe(401);
    expect((await t.anon().login(u.username, u.password)).statusCode).toBe(200);
  });
});

describe('CSRF', () => {
  it('a state-changing request with the session cookie but no or a wrong x-csrf-token is refused and changes nothing', async () => {
    const u = await t.user('analyst', org);
    const before = await t.db.selectFrom('organisations').select('id').execute();
    const auditBefore = await t.db.selectFrom('audit_log').select('seq').execute();
    const body = { name: 'CSRF forged unit', sector: 'enforcement', kind: 'police_unit', provinceCode: 'KH-12' };
    const noToken = await t.app.inject({ method: 'POST', url: '/api/organisations', payload: body, headers: { cookie: t.admin.cookie! } });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('csrf');
    const wrong = await t.admin.post('/api/organisations', body, { 'x-csrf-token': 'wrong-token' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('csrf');
    // another account's valid token does not fit this session
    const crossed = await t.admin.post('/api/organisations', body, { 'x-csrf-token': u.csrf! });
    expect(crossed.statusCode).toBe(403);
    const locale = await t.app.inject({ method: 'PATCH', url: '/api/auth/me', payload: { locale: 'km' }, headers: { cookie: u.cookie! } });
    expect(locale.statusCode).toBe(403);
    expect(locale.json().error.code).toBe('csrf');
    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: u.cookie! } });
    expect(logout.statusCode).toBe(403);

    expect((await t.db.selectFrom('organisations').select('id').execute()).length).toBe(before.length);
    expect((await t.db.selectFrom('audit_log').select('seq').execute()).length).toBe(auditBefore.length);
    expect((await u.get('/api/auth/me')).json().account.locale).toBe('en');
    // and with the right token it works
    expect((await t.admin.post('/api/organisations', body)).statusCode).toBe(201);
  });

  it('GET needs no token; /api/auth/me gives the session\'s token back', async () => {
    const u = await t.user('analyst', org);
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: u.cookie! } });
    expect(res.statusCode).toBe(200);
    expect(res.json().csrfToken).toBe(u.csrf);
  });
});

describe('password change', () => {
  it('needs the right current password and at least 12 characters', async () => {
    const u = await t.user('analyst', org);
    const wrong = await u.post('/api/auth/password', { currentPassword: 'not-my-password', newPassword: 'a-brand-new-password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields).toEqual([{ path: 'currentPassword', message: 'is not your current password' }]);
    const short = await u.post('/api/auth/password', { currentPassword: u.password, newPassword: 'short-11chr' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields[0].path).toBe('newPassword');
    expect((await t.anon().login(u.username, u.password)).statusCode).toBe(200);
    expect((await auditOf(u.accountId, 'auth.password_change_failed')).length).toBe(1);
  });

  it('clears mustChangePassword, signs out the other sessions, keeps this one; the new password works, the old does not', async () => {
    const created = await t.admin.post('/api/accounts', { username: 'pw-change-user', role: 'analyst', organisationId: org });
    const otp = created.json().oneTimePassword;
    const a = t.anon();
    const b = t.anon();
    expect((await a.login('pw-change-user', otp)).json().account.mustChangePassword).toBe(true);
    expect((await b.login('pw-change-user', otp)).statusCode).toBe(200);
    // the one-time password signs in, but only lets you change it
    expect((await a.get('/api/organisations')).json().error.code).toBe('password_change_required');
    const ch = await a.post('/api/auth/password', { currentPassword: otp, newPassword: 'my-own-long-password' });
    expect(ch.statusCode).toBe(200);
    expect(ch.json().account.mustChangePassword).toBe(false);
    expect((await a.get('/api/organisations')).statusCode).toBe(200);
    expect((await b.get('/api/auth/me')).statusCode).toBe(401);
    expect((await t.anon().login('pw-change-user', otp)).statusCode).toBe(401); // the one-time password worked once
    expect((await t.anon().login('pw-change-user', 'my-own-long-password')).statusCode).toBe(200);
    const me = await t.admin.get(`/api/accounts/${created.json().account.id}`);
    expect(me.json().mustChangePassword).toBe(false);
  });

  it('the new password must differ from the current one', async () => {
    const u = await t.user('analyst', org);
    const res = await u.post('/api/auth/password', { currentPassword: u.password, newPassword: u.password });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0]).toEqual({ path: 'newPassword', message: 'must differ from the current password' });
  });
});

describe('disabling an account', () => {
  it('revokes its sessions at once and refuses sign-in with 403 disabled; enabling again lets it in', async () => {
    const u = await t.user('analyst', org);
    const second = t.anon();
    await second.login(u.username, u.password);
    expect((await u.get('/api/auth/me')).statusCode).toBe(200);
    const dis = await t.admin.patch(`/api/accounts/${u.accountId}`, { disabled: true });
    expect(dis.statusCode).toBe(200);
    expect(dis.json().disabled).toBe(true);
    expect((await u.get('/api/auth/me')).statusCode).toBe(401);
    expect((await second.get('/api/organisations')).statusCode).toBe(401);
    const sessions = await t.db.selectFrom('sessions').select('id').where('account_id', '=', u.accountId).execute();
    expect(sessions).toEqual([]);
    const refused = await t.anon().login(u.username, u.password);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('disabled');
    // a wrong password on a disabled account tells nothing more than bad credentials
    expect((await t.anon().login(u.username, 'wrong-password')).statusCode).toBe(401);
    const audit = await auditOf(u.accountId, 'account.update');
    expect(audit.at(-1)!.details).toMatchObject({ after: { disabled: true }, sessionsRevoked: 2 });
    expect((await t.admin.patch(`/api/accounts/${u.accountId}`, { disabled: false })).statusCode).toBe(200);
    expect((await t.anon().login(u.username, u.password)).statusCode).toBe(200);
  });
});

describe('locale', () => {
  it('PATCH /api/auth/me {locale: km} is stored, audited and returned at the next sign-in', async () => {
    const u = await t.user('education_officer', await t.org('education', 'education_office'));
    const res = await u.patch('/api/auth/me', { locale: 'km' });
    expect(res.statusCode).toBe(200);
    expect(res.json().account.locale).toBe('km');
    expect((await u.get('/api/auth/me')).json().account.locale).toBe('km');
    const again = await t.anon().login(u.username, u.password);
    expect(again.json().account.locale).toBe('km');
    expect((await auditOf(u.accountId, 'account.locale')).map((r) => r.details)).toEqual([{ locale: 'km' }]);
    const bad = await u.patch('/api/auth/me', { locale: 'fr' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('locale');
    const other = await u.patch('/api/auth/me', { locale: 'en', role: 'administrator' });
    expect(other.statusCode).toBe(400);
    expect((await u.get('/api/auth/me')).json().account).toMatchObject({ locale: 'km', role: 'education_officer' });
  });
});

describe('per-address sign-in rate limit', () => {
  let small: TestApp;
  beforeAll(async () => {
    small = await startTestApp({ loginRateLimit: 5 });
  });
  afterAll(() => small.close());

  it('answers 429 with the error shape once an address exceeds the limit; other addresses are unaffected', async () => {
    const attacker = new Client(small.app, '10.9.8.7');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attacker.login(`nobody-${i}`, `guess-${i}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const limited = await attacker.login('admin', 'guess-6');
    // (unknown user names above, so that no account gets locked: the refusal comes from the address limit)
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.json().error.fields).toEqual([{ path: 'request', message: expect.any(String) }]);
    // the limited request never reached the password check: no audit entry for it
    const failed = await small.db.selectFrom('audit_log').select('seq').where('action', '=', 'auth.login_failed').where('ip', '=', '10.9.8.7').execute();
    expect(failed.length).toBe(5);
    const other = new Client(small.app, '10.9.8.8');
    expect((await other.login('nobody-else', 'guess-x')).statusCode).toBe(401);
    expect((await small.anon().login('admin', ADMIN_PASSWORD)).statusCode).toBe(200);
  });
});
