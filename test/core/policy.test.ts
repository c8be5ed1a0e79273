import { describe, expect, it } from 'vitest';
import { caseScope, clientScope, decide, mayReadClientRecord, mustSuppressHealthAggregates, RULES, type Action, type Actor, type Decision } from '../../src/server/policy.js';
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
  'campaign.read':        'Y Y Y Y Y Y Y Y Y U',
  'campaign.write':       'Y n n n n n n Y n U',
  'case.read':            'n Y Y n n n n n n U',
  'case.write':           'n Y Y n n n n n n U',
  'enforcement.report':   'n Y Y n n n n Y n U',
  'client.read':          'n n n Y Y Y n n n U',
  'client.write':         'n n n Y Y Y n n n U',
  'outreach.config':      'n n n Y Y Y n n n U',
  'device.register':      'n n n n Y Y n n n U',
  'device.read':          'Y n n n Y Y n n n U',
  'device.revoke':        'Y n n n n Y n n n U',
  'sync.push':            'n n n n Y Y n n n U',
  'sync.pull':            'n n n n Y Y n n n U',
  'hotspot.read':         'n n n Y Y Y n n n U',
  'hotspot.write':        'n n n n n Y n n n U',
  'client.manage':        'n n n n n Y n n n U',
  'outreach.indicators':  'n n n n n Y n n n U',
  'health.aggregates':    'Y Y Y Y Y Y Y Y Y U',
  'centre.read':          'Y Y Y Y Y Y Y Y Y U',
  'centre.write':         'Y n n n n n n n n U',
  'admission.read':       'n n n Y n Y n n n U',
  'admission.write':      'n n n Y n n n n n U',
  'treatment.centre_view':'n n n Y n Y n n n U',
  'treatment.national':   'Y Y Y Y Y Y Y Y Y U',
  'education.read':       'n n n n n n Y n n U',
  'education.write':      'n n n n n n Y n n U',
  'education.national':   'Y Y Y Y Y Y Y Y Y U',
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
    for (const action of ['outreach.config', 'device.register', 'sync.push', 'sync.pull', 'hotspot.read', 'hotspot.write', 'client.manage', 'outreach.indicators'] as Action[]) {
      expect(decide(misplaced, action), action).toBe('forbidden');
    }
  });

  it('clientScope works for every client-level action of the harm reduction pillar', () => {
    expect(clientScope(actor('outreach_worker', ORG_B), 'sync.push')).toEqual({ organisationId: ORG_B });
    expect(clientScope(actor('programme_manager', ORG_A), 'client.manage')).toEqual({ organisationId: ORG_A });
    expect(() => clientScope(actor('analyst', ORG_A), 'sync.pull')).toThrow(HttpError);
    expect(() => clientScope(actor('outreach_worker', ORG_A), 'client.manage')).toThrow(HttpError);
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

describe('caseScope: which units\' cases an enforcement account sees', () => {
  // A provincial headquarters HQ with two districts D1, D2; D1 has two posts P1, P2 (grandchildren of HQ); OTHER is a
  // separate headquarters with its own unit O1. Listed child-before-parent on purpose (order must not matter).
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const HQ = id(1), D1 = id(2), D2 = id(3), P1 = id(4), P2 = id(5), OTHER = id(6), O1 = id(7), P11 = id(8);
  const tree = [
    { id: P11, parentId: P1 },
    { id: P1, parentId: D1 },
    { id: P2, parentId: D1 },
    { id: D1, parentId: HQ },
    { id: D2, parentId: HQ },
    { id: HQ, parentId: null },
    { id: O1, parentId: OTHER },
    { id: OTHER, parentId: null },
  ];
  const sorted = (xs: string[]) => [...xs].sort();

  it('a clerk sees only the own unit, even at a headquarters with units below it', () => {
    for (const action of ['case.read', 'case.write'] as const) {
      expect(caseScope(actor('enforcement_clerk', P1), action, tree)).toEqual([P1]);
      expect(caseScope(actor('enforcement_clerk', HQ), action, tree)).toEqual([HQ]);
      expect(caseScope(actor('enforcement_clerk', O1), action, tree)).toEqual([O1]);
    }
  });

  it('a supervisor sees the own organisation and every organisation below it, grandchildren included', () => {
    for (const action of ['case.read', 'case.write'] as const) {
      expect(sorted(caseScope(actor('enforcement_supervisor', HQ), action, tree))).toEqual(sorted([HQ, D1, D2, P1, P2, P11]));
      expect(sorted(caseScope(actor('enforcement_supervisor', D1), action, tree))).toEqual(sorted([D1, P1, P2, P11]));
      expect(caseScope(actor('enforcement_supervisor', D2), action, tree)).toEqual([D2]);
      expect(sorted(caseScope(actor('enforcement_supervisor', OTHER), action, tree))).toEqual(sorted([OTHER, O1]));
      // never upwards or sideways
      expect(caseScope(actor('enforcement_supervisor', P2), action, tree)).toEqual([P2]);
    }
  });

  it('a supervisor of an organisation missing from the tree sees only itself; an empty tree changes nothing for a clerk', () => {
    expect(caseScope(actor('enforcement_supervisor', id(99)), 'case.read', tree)).toEqual([id(99)]);
    expect(caseScope(actor('enforcement_supervisor', HQ), 'case.read', [])).toEqual([HQ]);
    expect(caseScope(actor('enforcement_clerk', HQ), 'case.read', [])).toEqual([HQ]);
  });

  it('a loop in the tree does not hang', () => {
    const loop = [
      { id: id(20), parentId: id(21) },
      { id: id(21), parentId: id(20) },
    ];
    expect(sorted(caseScope(actor('enforcement_supervisor', id(20)), 'case.read', loop))).toEqual(sorted([id(20), id(21)]));
  });

  it('every other role gets 403, signed out 401, a one-time password 403 password_change_required', () => {
    for (const role of ['administrator', 'treatment_staff', 'outreach_worker', 'programme_manager', 'education_officer', 'analyst', 'auditor'] as Role[]) {
      for (const action of ['case.read', 'case.write'] as const) {
        let err: unknown;
        try {
          caseScope(actor(role, HQ), action, tree);
        } catch (e) {
          err = e;
        }
        expect(err, `${role} ${action}`).toBeInstanceOf(HttpError);
        expect((err as HttpError).status, `${role} ${action}`).toBe(403);
        expect((err as HttpError).code).toBe('forbidden');
      }
    }
    expect(() => caseScope(null, 'case.read', tree)).toThrow(HttpError);
    try {
      caseScope(null, 'case.read', tree);
    } catch (e) {
      expect((e as HttpError).status).toBe(401);
    }
    let pending: unknown;
    try {
      caseScope(actor('enforcement_supervisor', HQ, true), 'case.read', tree);
    } catch (e) {
      pending = e;
    }
    expect((pending as HttpError).code).toBe('password_change_required');
  });
});
