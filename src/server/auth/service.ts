/** Sign-in, sessions, lockout and password change. */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/index.js';
import { recordAudit, recordAuditAlone, type AuditWho } from '../audit/service.js';
import { HttpError } from '../http/errors.js';
import type { Actor } from '../policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { Locale, Role, Sector } from '../../core/roles.js';

export interface AuthConfig {
  maxFailedLogins: number; // consecutive failures before a lockout
  lockoutMinutes: number;
  sessionIdleMinutes: number;
}

export const DEFAULT_AUTH: AuthConfig = { maxFailedLogins: 5, lockoutMinutes: 15, sessionIdleMinutes: 12 * 60 };

export interface Me {
  id: string;
  username: string;
  role: Role;
  locale: Locale;
  mustChangePassword: boolean;
  organisation: { id: string; name: string; sector: Sector; kind: string };
}

export interface SessionInfo {
  actor: Actor;
  csrfToken: string;
  sessionId: string;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

// A real argon2id hash of a random string: unknown usernames cost the same verify time as known ones.
let dummyHash: Promise<string> | undefined;

const lockedError = (until: Date) =>
  new HttpError(423, 'locked', 'too many failed sign-ins: this account is locked for a while; try again later or ask an administrator', [], {
    lockedUntil: until.toISOString(),
  });

const badCredentials = () => new HttpError(401, 'bad_credentials', 'wrong username or password');

export class AuthService {
  constructor(
    private db: Database,
    private config: AuthConfig = DEFAULT_AUTH,
  ) {}

  async login(username: string, password: string, ip: string | null): Promise<{ token: string; csrfToken: string; me: Me }> {
    const account = await this.db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
    const who: AuditWho = { accountId: account?.id ?? null, organisationId: account?.organisation_id ?? null, ip };
    if (!account) {
      dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
      await verifyPassword(await dummyHash, password);
      await recordAuditAlone(this.db, who, { action: 'auth.login_failed', entity: 'account', details: { username, reason: 'unknown_username' } });
      throw badCredentials();
    }
    const now = new Date();
    if (account.locked_until && new Date(account.locked_until) <= now) {
      // The lockout is over: start counting again.
      await this.db.updateTable('accounts').set({ failed_logins: 0, locked_until: null }).where('id', '=', account.id).where('locked_until', '<=', now).execute();
      account.failed_logins = 0;
    }
    if (account.locked_until && new Date(account.locked_until) > now) {
      await recordAuditAlone(this.db, who, { action: 'auth.login_refused', entity: 'account', entityId: account.id, details: { reason: 'locked' } });
      throw lockedError(new Date(account.locked_until));
    }
    const ok = await verifyPassword(account.password_hash, password);
    if (!ok) {
      let lockError: HttpError | undefined;
      await this.db.transaction().execute(async (trx) => {
        // Counted in the database: concurrent failures cannot overwrite each other's count.
        const { failed_logins: failures } = await trx
          .updateTable('accounts')
          .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1), updated_at: now }))
          .where('id', '=', account.id)
          .returning('failed_logins')
          .executeTakeFirstOrThrow();
        await recordAudit(trx, who, { action: 'auth.login_failed', entity: 'account', entityId: account.id, details: { reason: 'bad_password', failures } });
        if (failures >= this.config.maxFailedLogins) {
          const lockedUntil = new Date(now.getTime() + this.config.lockoutMinutes * 60_000);
          const locked = await trx
            .updateTable('accounts')
            .set({ locked_until: lockedUntil })
            .where('id', '=', account.id)
            .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
            .returning('id')
            .executeTakeFirst();
          if (locked) {
            await recordAudit(trx, who, {
              action: 'auth.locked',
              entity: 'account',
              entityId: account.id,
              details: { lockedUntil: lockedUntil.toISOString(), afterFailures: failures },
            });
          }
          lockError = lockedError(lockedUntil);
        }
      });
      throw lockError ?? badCredentials();
    }
    if (account.disabled) {
      await recordAuditAlone(this.db, who, { action: 'auth.login_refused', entity: 'account', entityId: account.id, details: { reason: 'disabled' } });
      throw new HttpError(403, 'disabled', 'this account is disabled');
    }
    const org = await this.db.selectFrom('organisations').select('status').where('id', '=', account.organisation_id).executeTakeFirstOrThrow();
    if (org.status !== 'active') {
      await recordAuditAlone(this.db, who, { action: 'auth.login_refused', entity: 'account', entityId: account.id, details: { reason: 'organisation_closed' } });
      throw new HttpError(403, 'organisation_closed', 'the organisation of this account is closed');
    }
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('sessions')
        .values({
          id: tokenHash(token),
          account_id: account.id,
          csrf_token: csrfToken,
          ip,
          created_at: now,
          last_seen_at: now,
          expires_at: new Date(now.getTime() + this.config.sessionIdleMinutes * 60_000),
        })
        .execute();
      await trx.updateTable('accounts').set({ failed_logins: 0, locked_until: null, last_login_at: now }).where('id', '=', account.id).execute();
      await trx.deleteFrom('sessions').where('account_id', '=', account.id).where('expires_at', '<', now).execute();
      await recordAudit(trx, who, { action: 'auth.login', entity: 'account', entityId: account.id });
    });
    return { token, csrfToken, me: await this.me(account.id) };
  }

  /** Resolve a cookie token to a live session; slides the idle expiry at most once a minute. */
  async session(token: string | undefined): Promise<SessionInfo | null> {
    if (!token || token.length > 200) return null;
    const id = tokenHash(token);
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('accounts as a', 'a.id', 's.account_id')
      .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
      .select(['s.id', 's.csrf_token', 's.expires_at', 's.last_seen_at', 'a.id as account_id', 'a.role', 'a.disabled', 'a.must_change_password', 'o.id as org_id', 'o.sector', 'o.status'])
      .where('s.id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    const now = Date.now();
    if (row.disabled || row.status === 'closed' || new Date(row.expires_at).getTime() <= now) {
      await this.db.deleteFrom('sessions').where('id', '=', id).execute();
      return null;
    }
    if (now - new Date(row.last_seen_at).getTime() > 60_000) {
      await this.db
        .updateTable('sessions')
        .set({ last_seen_at: new Date(now), expires_at: new Date(now + this.config.sessionIdleMinutes * 60_000) })
        .where('id', '=', id)
        .execute();
    }
    return {
      sessionId: id,
      csrfToken: row.csrf_token,
      actor: { accountId: row.account_id, organisationId: row.org_id, sector: row.sector, role: row.role, mustChangePassword: row.must_change_password },
    };
  }

  async logout(sessionId: string, who: AuditWho): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('sessions').where('id', '=', sessionId).execute();
      await recordAudit(trx, who, { action: 'auth.logout', entity: 'account', entityId: who.accountId });
    });
  }

  async me(accountId: string): Promise<Me> {
    const r = await this.db
      .selectFrom('accounts as a')
      .innerJoin('organisations as o', 'o.id', 'a.organisation_id')
      .select(['a.id', 'a.username', 'a.role', 'a.locale', 'a.must_change_password', 'o.id as org_id', 'o.name as org_name', 'o.sector', 'o.kind'])
      .where('a.id', '=', accountId)
      .executeTakeFirstOrThrow();
    return {
      id: r.id,
      username: r.username,
      role: r.role,
      locale: r.locale,
      mustChangePassword: r.must_change_password,
      organisation: { id: r.org_id, name: r.org_name, sector: r.sector, kind: r.kind },
    };
  }

  async setLocale(accountId: string, locale: Locale, who: AuditWho): Promise<Me> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('accounts').set({ locale, updated_at: new Date() }).where('id', '=', accountId).execute();
      await recordAudit(trx, who, { action: 'account.locale', entity: 'account', entityId: accountId, details: { locale } });
    });
    return this.me(accountId);
  }

  /** Change one's own password; every other session of the account is signed out. */
  async changePassword(accountId: string, sessionId: string, current: string, next: string, who: AuditWho): Promise<void> {
    const account = await this.db.selectFrom('accounts').select(['password_hash']).where('id', '=', accountId).executeTakeFirstOrThrow();
    if (!(await verifyPassword(account.password_hash, current))) {
      await recordAuditAlone(this.db, who, { action: 'auth.password_change_failed', entity: 'account', entityId: accountId });
      throw new HttpError(400, 'invalid_input', 'currentPassword: is not your current password', [{ path: 'currentPassword', message: 'is not your current password' }]);
    }
    const hashed = await hashPassword(next);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('accounts')
        .set({ password_hash: hashed, must_change_password: false, updated_at: new Date() })
        .where('id', '=', accountId)
        .execute();
      await trx.deleteFrom('sessions').where('account_id', '=', accountId).where('id', '!=', sessionId).execute();
      await recordAudit(trx, who, { action: 'auth.password_changed', entity: 'account', entityId: accountId });
    });
  }
}
