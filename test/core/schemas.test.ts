import { describe, expect, it } from 'vitest';
import {
  auditQuery,
  changePasswordBody,
  communesQuery,
  createAccountBody,
  createOrganisationBody,
  districtsQuery,
  idParams,
  loginBody,
  updateAccountBody,
  updateMeBody,
  updateOrganisationBody,
} from '../../src/core/schemas.js';
import { KINDS_BY_SECTOR, ORG_KINDS, SECTORS } from '../../src/core/roles.js';

const ID = '6f1c1c34-1d2b-4c55-9a3e-0b1f1d3e2a10';
const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; code: string; keys?: string[] }[] } }) =>
  r.success ? [] : r.error!.issues.map((i) => (i.code === 'unrecognized_keys' ? `unknown:${i.keys!.join(',')}` : i.path.join('.')));

describe('schemas are strict: unknown fields are refused', () => {
  const cases: [string, { safeParse(v: unknown): { success: boolean } }, Record<string, unknown>][] = [
    ['loginBody', loginBody, { username: 'a', password: 'b' }],
    ['changePasswordBody', changePasswordBody, { currentPassword: 'old-password-1', newPassword: 'new-password-12' }],
    ['updateMeBody', updateMeBody, { locale: 'km' }],
    ['createOrganisationBody', createOrganisationBody, { name: 'Unit', sector: 'enforcement', kind: 'police_unit', provinceCode: 'KH-12' }],
    ['updateOrganisationBody', updateOrganisationBody, { name: 'Unit' }],
    ['createAccountBody', createAccountBody, { username: 'clerk', role: 'enforcement_clerk', organisationId: ID }],
    ['updateAccountBody', updateAccountBody, { disabled: true }],
    ['idParams', idParams, { id: ID }],
    ['auditQuery', auditQuery, {}],
    ['districtsQuery', districtsQuery, { province: 'KH-12' }],
    ['communesQuery', communesQuery, { district: '1201' }],
  ];
  for (const [name, schema, valid] of cases) {
    it(name, () => {
      expect(schema.safeParse(valid).success).toBe(true);
      const r = schema.safeParse({ ...valid, phone: '012345678' }) as never;
      expect(paths(r)).toContain('unknown:phone');
    });
  }
});

describe('passwords', () => {
  it('a new password has at least 12 characters and differs from the current one', () => {
    expect(changePasswordBody.safeParse({ currentPassword: 'x', newPassword: '12345678901' }).success).toBe(false);
    expect(paths(changePasswordBody.safeParse({ currentPassword: 'x', newPassword: '12345678901' }) as never)).toEqual(['newPassword']);
    expect(changePasswordBody.safeParse({ currentPassword: 'x', newPassword: '123456789012' }).success).toBe(true);
    expect(paths(changePasswordBody.safeParse({ currentPassword: 'same-password-1', newPassword: 'same-password-1' }) as never)).toEqual(['newPassword']);
    expect(changePasswordBody.safeParse({ currentPassword: 'x', newPassword: 'a'.repeat(201) }).success).toBe(false);
  });

  it('login trims and lower-cases the username and needs both fields', () => {
    expect(loginBody.parse({ username: '  Admin ', password: 'p' })).toEqual({ username: 'admin', password: 'p' });
    expect(loginBody.safeParse({ username: '', password: 'p' }).success).toBe(false);
    expect(loginBody.safeParse({ username: 'a' }).success).toBe(false);
    expect(loginBody.safeParse({ username: 1, password: 'p' }).success).toBe(false);
  });
});

describe('organisations', () => {
  it('every kind is accepted exactly in its own sector', () => {
    for (const sector of SECTORS) {
      for (const kind of ORG_KINDS) {
        const r = createOrganisationBody.safeParse({ name: 'Some org', sector, kind, provinceCode: 'KH-1' });
        expect(r.success, `${sector}/${kind}`).toBe(KINDS_BY_SECTOR[sector].includes(kind));
        if (!r.success) expect(paths(r as never)).toEqual(['kind']);
      }
    }
  });

  it('province must be one of the 25 codes; commune needs a district that contains it', () => {
    const base = { name: 'Some org', sector: 'health', kind: 'ngo' };
    expect(createOrganisationBody.safeParse({ ...base, provinceCode: 'KH-26' }).success).toBe(false);
    expect(paths(createOrganisationBody.safeParse({ ...base, provinceCode: 'KH-12', communeCode: '120101' }) as never)).toEqual(['districtCode']);
    expect(paths(createOrganisationBody.safeParse({ ...base, provinceCode: 'KH-12', districtCode: '1202', communeCode: '120101' }) as never)).toEqual(['communeCode']);
    expect(createOrganisationBody.safeParse({ ...base, provinceCode: 'KH-12', districtCode: '1201', communeCode: '120101' }).success).toBe(true);
  });

  it('names: trimmed, 2..200 characters, no markup or control characters', () => {
    const base = { sector: 'health', kind: 'ngo', provinceCode: 'KH-12' };
    expect(createOrganisationBody.parse({ ...base, name: '  NGO  ' }).name).toBe('NGO');
    for (const bad of ['x', ' ', 'a'.repeat(201), '<script>', 'a\u0000b', 'line\nbreak']) {
      expect(createOrganisationBody.safeParse({ ...base, name: bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('accounts', () => {
  it('usernames are 3..64 lower-case letters, digits, dot, dash, underscore', () => {
    const ok = (username: string) => createAccountBody.safeParse({ username, role: 'analyst', organisationId: ID }).success;
    expect(ok('a.b-c_1')).toBe(true);
    expect(ok('ab')).toBe(false);
    expect(ok('Admin')).toBe(false);
    expect(ok('a b c')).toBe(false);
    expect(ok('a'.repeat(65))).toBe(false);
  });

  it('role must be a known role, organisation an id, locale en or km', () => {
    expect(createAccountBody.safeParse({ username: 'abc', role: 'superuser', organisationId: ID }).success).toBe(false);
    expect(createAccountBody.safeParse({ username: 'abc', role: 'analyst', organisationId: 'nope' }).success).toBe(false);
    expect(updateAccountBody.safeParse({ disabled: 'yes' }).success).toBe(false);
    expect(updateMeBody.safeParse({ locale: 'fr' }).success).toBe(false);
    expect(updateMeBody.safeParse({}).success).toBe(false);
  });

  it('audit query: limit 1..500 with default 100', () => {
    expect(auditQuery.parse({})).toEqual({ limit: 100 });
    expect(auditQuery.parse({ limit: '5', before: '10' })).toEqual({ limit: 5, before: 10 });
    expect(auditQuery.safeParse({ limit: '501' }).success).toBe(false);
    expect(auditQuery.safeParse({ limit: '0' }).success).toBe(false);
  });
});
