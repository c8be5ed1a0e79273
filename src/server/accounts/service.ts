import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Database } from '../db/index.js';
import type { createAccountBody, updateAccountBody } from '../../core/schemas.js';
import { roleFitsSector, SECTORS_BY_ROLE, type Role } from '../../core/roles.js';
import { recordAudit, type AuditWho } from '../audit/service.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { hashPassword, oneTimePassword } from '../auth/passwords.js';

export interface Account {
  id: string;
  username: string;
  role: Role;
  organisationId: string;
  organisationName: string;
  locale: 'en' | 'km';
  disabled: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export class AccountService {
  constructor(private db: Database) {}

  private base() {
    return this.db
      .selectFrom('accounts as a')
      .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
      .select([
        'a.id',
        'a.username',
        'a.role',
        'a.organisation_id',
        'o.name as organisation_name',
        'a.locale',
        'a.disabled',
        'a.must_change_password',
        'a.locked_until',
        'a.last_login_at',
        'a.created_at',
      ]);
  }

  private toDto(r: Awaited<ReturnType<ReturnType<AccountService['base']>['executeTakeFirstOrThrow']>>): Account {
    const locked = r.locked_until && new Date(r.locked_until) > new Date() ? iso(r.locked_until) : null;
    return {
      id: r.id,
      username: r.username,
      role: r.role,
      organisationId: r.organisation_id,
      organisationName: r.organisation_name,
      locale: r.locale,
      disabled: r.disabled,
      mustChangePassword: r.must_change_password,
      lockedUntil: locked,
      lastLoginAt: iso(r.last_login_at),
      createdAt: iso(r.created_at)!,
    };
  }

  async list(): Promise<Account[]> {
    return (await this.base().orderBy('a.username').execute()).map((r) => this.toDto(r));
  }

  async get(id: string): Promise<Account> {
    const r = await this.base().where('a.id', '=', id).executeTakeFirst();
    if (!r) throw notFound('account');
    return this.toDto(r);
  }

  /** Create an account with a one-time password (shown once to the administrator, to be changed at first sign-in). */
  async create(input: z.output<typeof createAccountBody>, who: AuditWho): Promise<{ account: Account; oneTimePassword: string }> {
    const org = await this.db.selectFrom('organisations').select(['sector', 'status']).where('id', '=', input.organisationId).executeTakeFirst();
    if (!org) throw badRequest('organisationId: is not a known organisation', [{ path: 'organisationId', message: 'is not a known organisation' }]);
    if (org.status !== 'active') throw badRequest('organisationId: the organisation is closed', [{ path: 'organisationId', message: 'the organisation is closed' }]);
    if (!roleFitsSector(input.role, org.sector)) {
      const msg = `a ${input.role} account belongs to a ${SECTORS_BY_ROLE[input.role].join(' or ')} organisation, not ${org.sector}`;
      throw badRequest(`role: ${msg}`, [{ path: 'role', message: msg }]);
    }
    const otp = oneTimePassword();
    const hashed = await hashPassword(otp);
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      const now = new Date();
      const inserted = await trx
        .insertInto('accounts')
        .values({
          id,
          organisation_id: input.organisationId,
          username: input.username,
          password_hash: hashed,
          role: input.role,
          locale: 'en',
          must_change_password: true,
          disabled: false,
          created_at: now,
          updated_at: now,
        })
        // A taken username (even by a concurrent request) is a conflict, not a database error.
        .onConflict((oc) => oc.column('username').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) throw conflict('username', 'is already taken');
      await recordAudit(trx, who, {
        action: 'account.create',
        entity: 'account',
        entityId: id,
        details: { after: { username: input.username, role: input.role, organisationId: input.organisationId } },
      });
    });
    return { account: await this.get(id), oneTimePassword: otp };
  }

  /** Change role or disable/enable. Disabling signs the account out everywhere in the same transaction. */
  async update(id: string, input: z.output<typeof updateAccountBody>, who: AuditWho): Promise<Account> {
    if (id === who.accountId && (input.disabled === true || (input.role && input.role !== 'administrator'))) {
      throw badRequest('id: you cannot disable your own account or remove your own administrator role', [
        { path: 'id', message: 'you cannot disable your own account or remove your own administrator role' },
      ]);
    }
    await this.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('accounts as a')
        .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
        .select(['a.role', 'a.disabled', 'o.sector'])
        .where('a.id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw notFound('account');
      if (input.role && !roleFitsSector(input.role, before.sector)) {
        const msg = `a ${input.role} account belongs to a ${SECTORS_BY_ROLE[input.role].join(' or ')} organisation, not ${before.sector}`;
        throw badRequest(`role: ${msg}`, [{ path: 'role', message: msg }]);
      }
      const after = { role: input.role ?? before.role, disabled: input.disabled ?? before.disabled };
      await trx.updateTable('accounts').set({ ...after, updated_at: new Date() }).where('id', '=', id).execute();
      let sessionsRevoked = 0;
      let devicesRevoked = 0;
      if (after.disabled && !before.disabled) {
        const res = await trx.deleteFrom('sessions').where('account_id', '=', id).executeTakeFirst();
        sessionsRevoked = Number(res.numDeletedRows);
        // Its outreach devices too: on their next sync they get 410 device_revoked and wipe their local data.
        const dev = await trx.updateTable('devices').set({ revoked_at: new Date(), revoked_by: who.accountId }).where('account_id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
        devicesRevoked = Number(dev.numUpdatedRows);
      }
      await recordAudit(trx, who, {
        action: 'account.update',
        entity: 'account',
        entityId: id,
        details: { before: { role: before.role, disabled: before.disabled }, after, sessionsRevoked, ...(devicesRevoked ? { devicesRevoked } : {}) },
      });
    });
    return this.get(id);
  }

  /** Issue a new one-time password; the account is unlocked and signed out everywhere. */
  async resetPassword(id: string, who: AuditWho): Promise<{ account: Account; oneTimePassword: string }> {
    const otp = oneTimePassword();
    const hashed = await hashPassword(otp);
    await this.db.transaction().execute(async (trx) => {
      const found = await trx.selectFrom('accounts').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
      if (!found) throw notFound('account');
      await trx
        .updateTable('accounts')
        .set({ password_hash: hashed, must_change_password: true, failed_logins: 0, locked_until: null, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
      await trx.deleteFrom('sessions').where('account_id', '=', id).execute();
      await recordAudit(trx, who, { action: 'account.reset_password', entity: 'account', entityId: id });
    });
    return { account: await this.get(id), oneTimePassword: otp };
  }
}
