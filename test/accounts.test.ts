import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers.js';
import { ROLES, SECTORS, SECTORS_BY_ROLE, type Role, type Sector } from '../src/core/roles.js';

let t: TestApp;
const orgBySector = {} as Record<Sector, string>;
beforeAll(async () => {
  t = await startTestApp();
  orgBySector.enforcement = await t.org('enforcement', 'police_unit', 'Accounts police unit');
  orgBySector.health = await t.org('health', 'state_treatment_centre', 'Accounts treatment centre');
  orgBySector.oversight = await t.org('oversight', 'national_committee', 'Accounts committee');
  orgBySector.education = await t.org('education', 'education_office', 'Accounts education office');
});
afterAll(() => t.close());

const count = async () => Number((await t.db.selectFrom('accounts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('creating accounts', () => {
  it('an account of every role in an organisation of a fitting sector, with a one-time password', async () => {
    for (const role of ROLES) {
      const organisationId = orgBySector[SECTORS_BY_ROLE[role][0]];
      const username = `acc-${role.replace(/_/g, '-')}`;
      const res = await t.admin.post('/api/accounts', { username, role, organisationId });
      expect(res.statusCode, `${role}: ${res.body}`).toBe(201);
      const { account, oneTimePassword } = res.json();
      expect(account).toMatchObject({ username, role, organisationId, disabled: false, mustChangePassword: true, locale: 'en', lockedUntil: null, lastLoginAt: null });
      expect(oneTimePassword).toMatch(/^[a-zA-Z2-9]{4}-[a-zA-Z2-9]{4}-[a-zA-Z2-9]{4}-[a-zA-Z2-9]{4}$/);
      expect(JSON.stringify(res.json())).not.toMatch(/hash|argon/i);
      expect((await t.admin.get(`/api/accounts/${account.id}`)).json()).toEqual(account);
    }
    const list = (await t.admin.get('/api/accounts')).json().items;
    expect(list.map((a: { username: string }) => a.username)).toEqual(expect.arrayContaining(ROLES.map((r) => `acc-${r.replace(/_/g, '-')}`)));
    expect(JSON.stringify(list)).not.toMatch(/password_hash|argon/);
  });

  it('refuses a role that does not fit the organisation\'s sector, on `role`, storing nothing', async () => {
    const before = await count();
    for (const role of ROLES) {
      for (const sector of SECTORS) {
        if (SECTORS_BY_ROLE[role].includes(sector)) continue;
        const res = await t.admin.post('/api/accounts', { username: `misfit-${role.replace(/_/g, '-')}-${sector}`, role, organisationId: orgBySector[sector] });
        expect(res.statusCode, `${role} in ${sector}`).toBe(400);
        expect(res.json().error.fields, `${role} in ${sector}`).toEqual([{ path: 'role', message: expect.stringContaining(`not ${sector}`) }]);
      }
    }
    expect(await count()).toBe(before);
  });

  it('a programme manager is never in a police unit, nor an enforcement clerk in a health organisation', async () => {
    const a = await t.admin.post('/api/accounts', { username: 'pm-in-police', role: 'programme_manager', organisationId: orgBySector.enforcement });
    expect(a.json().error.fields[0]).toEqual({ path: 'role', message: 'a programme_manager account belongs to a health organisation, not enforcement' });
    const b = await t.admin.post('/api/accounts', { username: 'clerk-in-ngo', role: 'enforcement_clerk', organisationId: orgBySector.health });
    expect(b.statusCode).toBe(400);
  });

  it('a duplicate username is 409 on `username`', async () => {
    const first = await t.admin.post('/api/accounts', { username: 'same-name', role: 'analyst', organisationId: orgBySector.oversight });
    expect(first.statusCode).toBe(201);
    const before = await count();
    const again = await t.admin.post('/api/accounts', { username: 'same-name', role: 'education_officer', organisationId: orgBySector.education });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toEqual({ code: 'conflict', message: 'username: is already taken', fields: [{ path: 'username', message: 'is already taken' }] });
    const padded = await t.admin.post('/api/accounts', { username: '  same-name ', role: 'analyst', organisationId: orgBySector.oversight });
    expect(padded.statusCode).toBe(409);
    expect(await count()).toBe(before);
  });

  it('an unknown or closed organisation takes no accounts', async () => {
    const unknown = await t.admin.post('/api/accounts', { username: 'nowhere-user', role: 'analyst', organisationId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields).toEqual([{ path: 'organisationId', message: 'is not a known organisation' }]);
    const closed = await t.org('education', 'education_office', 'Closed education office');
    expect((await t.admin.patch(`/api/organisations/${closed}`, { status: 'closed' })).statusCode).toBe(200);
    const before = await count();
    const res = await t.admin.post('/api/accounts', { username: 'closed-org-user', role: 'education_officer', organisationId: closed });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([{ path: 'organisationId', message: 'the organisation is closed' }]);
    expect(await count()).toBe(before);
  });
});

describe('one-time passwords', () => {
  it('work once, only to set an own password', async () => {
    const res = await t.admin.post('/api/accounts', { username: 'otp-user', role: 'treatment_staff', organisationId: orgBySector.health });
    const otp = res.json().oneTimePassword;
    const c = t.anon();
    const login = await c.login('otp-user', otp);
    expect(login.statusCode).toBe(200);
    expect(login.json().account.mustChangePassword).toBe(true);
    const blocked = await c.get('/api/geography/provinces');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');
    expect((await c.post('/api/auth/password', { currentPassword: otp, newPassword: 'treatment-staff-password' })).statusCode).toBe(200);
    expect((await c.get('/api/geography/provinces')).statusCode).toBe(200);
    expect((await t.anon().login('otp-user', otp)).statusCode).toBe(401);
    const again = await t.anon().login('otp-user', 'treatment-staff-password');
    expect(again.json().account.mustChangePassword).toBe(false);
  });

  it('each account gets a different one', async () => {
    const a = await t.admin.post('/api/accounts', { username: 'otp-a', role: 'analyst', organisationId: orgBySector.oversight });
    const b = await t.admin.post('/api/accounts', { username: 'otp-b', role: 'analyst', organisationId: orgBySector.oversight });
    expect(a.json().oneTimePassword).not.toBe(b.json().oneTimePassword);
    expect((await t.anon().login('otp-a', b.json().oneTimePassword)).statusCode).toBe(401);
  });
});

describe('updating accounts', () => {
  it('an administrator cannot disable themselves or drop their own administrator role', async () => {
    const me = (await t.admin.get('/api/auth/me')).json().account;
    const dis = await t.admin.patch(`/api/accounts/${me.id}`, { disabled: true });
    expect(dis.statusCode).toBe(400);
    expect(dis.json().error.fields[0].path).toBe('id');
    const demote = await t.admin.patch(`/api/accounts/${me.id}`, { role: 'analyst' });
    expect(demote.statusCode).toBe(400);
    expect((await t.admin.get('/api/auth/me')).json().account.role).toBe('administrator');
    expect((await t.admin.get(`/api/accounts/${me.id}`)).json().disabled).toBe(false);
  });

  it('another administrator can be disabled, and is signed out at once', async () => {
    const other = await t.user('administrator', orgBySector.oversight, 'second-admin');
    expect((await other.get('/api/accounts')).statusCode).toBe(200);
    const res = await t.admin.patch(`/api/accounts/${other.accountId}`, { disabled: true });
    expect(res.statusCode).toBe(200);
    expect((await other.get('/api/accounts')).statusCode).toBe(401);
  });

  it('a role change must fit the sector; a fitting one takes effect on the next request', async () => {
    const u = await t.user('analyst', orgBySector.oversight);
    const bad = await t.admin.patch(`/api/accounts/${u.accountId}`, { role: 'outreach_worker' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('role');
    expect((await u.get('/api/audit')).statusCode).toBe(403);
    const ok = await t.admin.patch(`/api/accounts/${u.accountId}`, { role: 'auditor' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().role).toBe('auditor');
    expect((await u.get('/api/audit')).statusCode).toBe(200);
  });

  it('unknown account ids are 404, malformed ones 400', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await t.admin.get(`/api/accounts/${missing}`)).statusCode).toBe(404);
    expect((await t.admin.patch(`/api/accounts/${missing}`, { disabled: true })).statusCode).toBe(404);
    expect((await t.admin.post(`/api/accounts/${missing}/reset-password`)).statusCode).toBe(404);
    const bad = await t.admin.get('/api/accounts/12');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('params.id');
  });
});

describe('roles and sectors', () => {
  it('each role fits exactly the sectors of SECTORS_BY_ROLE (health client roles only in health)', () => {
    const health: Role[] = ['treatment_staff', 'outreach_worker', 'programme_manager'];
    for (const r of health) expect(SECTORS_BY_ROLE[r]).toEqual(['health']);
    for (const r of ROLES.filter((x) => !health.includes(x))) expect(SECTORS_BY_ROLE[r]).not.toContain('health');
  });
});
