import { describe, expect, it } from 'vitest';
import { clientScope, decide, mayReadClientRecord, mustSuppressHealthAggregates, RULES, type Action, type Actor, type Decision } from '../../src/server/policy.js';
import { ROLES, SECTORS_BY_ROLE, type Role } from '../../src/core/roles.js';
import { HttpError } from '../../src/server/http/errors.js';

const ORG_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const ORG_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const actor = (role: Role, organisationId = ORG_A, mustChangePassword = false): Actor => ({
  accountId: '00000000-0000-4000-8000-000000000001',
  organisationId,
  sector: SECTORS_BY_ROLE[role][0],
  role,
  mustChangePassword,
});

// Written out by hand (not derived from RULES) so that a change of the policy must be a conscious change of this table.
// Columns: administrator, enforcement_clerk, enforcement_supervisor, treatment_staff, outreach_worker, programme_manager,
//          education_officer, analyst, auditor, signed out.   Y = allow, n = forbidden, U = unauthenticated.
const TABLE: Record<Action, string> = {
  'auth.login':           'Y Y Y Y Y Y Y Y Y Y',
  'auth.logout':          'Y Y Y Y Y Y Y Y Y U',
  'auth.me':              'Y Y Y Y Y Y Y Y Y U',
  'auth.update_me':       'Y Y Y Y Y Y Y Y Y U',
  'auth.change_password': 'Y Y Y Y Y Y Y Y Y U',
  'reference.read':       'Y Y Y Y Y Y Y Y Y U',
  'geography.read':       'Y Y Y Y Y Y Y Y Y U',
  'geography.import':     'Y n n n n n n n n U',
  'organisation.read':    'Y Y Y Y Y Y Y Y Y U',
  'organisation.write':   'Y n n n n n n n n U',
  'account.read':         'Y n n n n n n n n U',
  'account.write':        'Y n n n n n n n n U',
  'audit.read':           'n n n n n n n n Y U',
  'audit.verify':         'n n n n n n n n Y U',
  'client.read':          'n n n Y Y Y n n n U',
  'client.write':         'n n n Y Y Y n n n U',
};
const CODE: Record<string, Decision> = { Y: 'allow', n: 'forbidden', U: 'unauthenticated' };
const DURING_PASSWORD_CHANGE = new Set<Action>(['auth.login', 'auth.logout', 'auth.me', 'auth.update_me', 'auth.change_password']);

describe('decide(): every action × every role × signed out', () => {
  it('the table covers exactly the actions of the policy', () => {
    expect(Object.keys(TABLE).sort()).toEqual(Object.keys(RULES).sort());
  });

  for (const action of Object.keys(TABLE) as Action[]) {
    it(action, () => {
      const cells = TABLE[action].split(/\s+/);
      expect(cells).toHaveLength(ROLES.length + 1);
      ROLES.forEach((role, i) => {
        expect(decide(actor(role), action), `${role} → ${action}`).toBe(CODE[cells[i]]);
        const pending = decide(actor(role, ORG_A, true), action);
        expect(pending, `${role} (one-time password) → ${action}`).toBe(DURING_PASSWORD_CHANGE.has(action) ? CODE[cells[i]] : 'password_change_required');
      });
      expect(decide(null, action), `signed out → ${action}`).toBe(CODE[cells[ROLES.length]]);
    });
  }

  it('client-level actions also need a health organisation, whatever the role', () => {
    const misplaced: Actor = { ...actor('programme_manager'), sector: 'enforcement' };
    expect(decide(misplaced, 'client.read')).toBe('forbidden');
    expect(decide(misplaced, 'client.write')).toBe('forbidden');
    expect(decide({ ...actor('outreach_worker'), sector: 'oversight' }, 'client.read')).toBe('forbidden');
  });
});

describe('client-level records', () => {
  it('a health programme manager of org A may read org A records, not org B records', () => {
    const pm = actor('programme_manager', ORG_A);
    expect(mayReadClientRecord(pm, { organisationId: ORG_A })).toBe(true);
    expect(mayReadClientRecord(pm, { organisationId: ORG_B })).toBe(false);
    expect(mayReadClientRecord(actor('outreach_worker', ORG_B), { organisationId: ORG_B })).toBe(true);
    expect(mayReadClientRecord(actor('treatment_staff', ORG_B), { organisationId: ORG_A })).toBe(false);
  });

  it('enforcement, education, analyst, administrator and auditor never, even with the same organisation id', () => {
    for (const role of ['enforcement_clerk', 'enforcement_supervisor', 'education_officer', 'analyst', 'administrator', 'auditor'] as Role[]) {
      expect(mayReadClientRecord(actor(role, ORG_A), { organisationId: ORG_A }), role).toBe(false);
    }
  });

  it('a health account that must still change its password reads nothing', () => {
    expect(mayReadClientRecord(actor('programme_manager', ORG_A, true), { organisationId: ORG_A })).toBe(false);
  });

  it('clientScope gives the actor\'s own organisation to health client roles and throws 403/401 otherwise', () => {
    expect(clientScope(actor('programme_manager', ORG_A), 'client.read')).toEqual({ organisationId: ORG_A });
    expect(clientScope(actor('outreach_worker', ORG_B), 'client.write')).toEqual({ organisationId: ORG_B });
    for (const role of ['enforcement_clerk', 'enforcement_supervisor', 'education_officer', 'analyst', 'administrator', 'auditor'] as Role[]) {
      for (const action of ['client.read', 'client.write'] as const) {
        let err: unknown;
        try {
          clientScope(actor(role), action);
        } catch (e) {
          err = e;
        }
        expect(err, `${role} ${action}`).toBeInstanceOf(HttpError);
        expect((err as HttpError).status).toBe(403);
        expect((err as HttpError).code).toBe('forbidden');
      }
    }
    expect(() => clientScope(null, 'client.read')).toThrow(HttpError);
    try {
      clientScope(null, 'client.read');
    } catch (e) {
      expect((e as HttpError).status).toBe(401);
    }
    try {
      clientScope(actor('programme_manager', ORG_A, true), 'client.read');
    } catch (e) {
      expect((e as HttpError).code).toBe('password_change_required');
    }
  });

  it('health aggregates are suppressed unless a health actor reads its own organisation', () => {
    expect(mustSuppressHealthAggregates(actor('programme_manager', ORG_A), ORG_A)).toBe(false);
    expect(mustSuppressHealthAggregates(actor('programme_manager', ORG_A), ORG_B)).toBe(true);
    expect(mustSuppressHealthAggregates(actor('programme_manager', ORG_A))).toBe(true);
    expect(mustSuppressHealthAggregates(actor('analyst', ORG_A), ORG_A)).toBe(true);
    expect(mustSuppressHealthAggregates(actor('enforcement_clerk', ORG_A), ORG_A)).toBe(true);
  });
});
