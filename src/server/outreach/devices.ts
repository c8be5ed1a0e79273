/**
 * Outreach devices: a browser registered for one account. Every sync request names its device (x-device-id); a
 * revoked device, a device of another account, or a disabled account answers 410 device_revoked and the app wipes its
 * local data. Disabling an account revokes its devices (accounts/service.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/index.js';
import { authorize, type Actor } from '../policy.js';
import { recordAudit, type AuditWho } from '../audit/service.js';
import { badRequest, HttpError, notFound } from '../http/errors.js';

export const deviceRevoked = () => new HttpError(410, 'device_revoked', 'this device was revoked or is not registered for this account: its local data must be wiped');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DeviceDto {
  id: string;
  label: string;
  accountId: string;
  username: string;
  organisationId: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export class DeviceService {
  constructor(private db: Database) {}

  async register(actor: Actor | null, label: string, who: AuditWho): Promise<{ id: string }> {
    authorize(actor, 'device.register');
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('devices')
        .values({ id, organisation_id: actor!.organisationId, account_id: actor!.accountId, label, created_at: new Date(), last_seen_at: null, revoked_at: null, revoked_by: null })
        .execute();
      await recordAudit(trx, who, { action: 'device.register', entity: 'device', entityId: id, details: {} });
    });
    return { id };
  }

  async list(actor: Actor | null): Promise<DeviceDto[]> {
    authorize(actor, 'device.read');
    let q = this.db
      .selectFrom('devices as d')
      .innerJoin('accounts as a', 'a.id', 'd.account_id')
      .select(['d.id', 'd.label', 'd.account_id', 'a.username', 'd.organisation_id', 'd.created_at', 'd.last_seen_at', 'd.revoked_at']);
    if (actor!.role === 'outreach_worker') q = q.where('d.account_id', '=', actor!.accountId);
    else if (actor!.role === 'programme_manager') q = q.where('d.organisation_id', '=', actor!.organisationId);
    const rows = await q.orderBy('d.created_at', 'desc').limit(5000).execute();
    return rows.map((r) => ({
      id: r.id,
      label: r.label,
      accountId: r.account_id,
      username: r.username,
      organisationId: r.organisation_id,
      createdAt: iso(r.created_at)!,
      lastSeenAt: iso(r.last_seen_at),
      revokedAt: iso(r.revoked_at),
    }));
  }

  /** Revoke: the programme manager, a device of the own organisation (else 404); an administrator, any device. */
  async revoke(actor: Actor | null, id: string, who: AuditWho): Promise<{ id: string; revokedAt: string }> {
    authorize(actor, 'device.revoke');
    return this.db.transaction().execute(async (trx) => {
      let q = trx.selectFrom('devices').select(['id', 'revoked_at', 'account_id']).where('id', '=', id);
      if (actor!.role !== 'administrator') q = q.where('organisation_id', '=', actor!.organisationId);
      const d = await q.forUpdate().executeTakeFirst();
      if (!d) throw notFound('device');
      if (d.revoked_at) return { id, revokedAt: iso(d.revoked_at)! };
      const now = new Date();
      await trx.updateTable('devices').set({ revoked_at: now, revoked_by: actor!.accountId }).where('id', '=', id).execute();
      await recordAudit(trx, who, { action: 'device.revoke', entity: 'device', entityId: id, details: { accountId: d.account_id } });
      return { id, revokedAt: now.toISOString() };
    });
  }

  /**
   * The device of a sync request: the header must name a device of this account that is not revoked (410 otherwise).
   * Called after the policy, so only outreach staff of a health organisation get here.
   */
  async check(actor: Actor, header: unknown): Promise<string> {
    if (header === undefined || header === '') throw badRequest('x-device-id: is required (register this device first)', [{ path: 'x-device-id', message: 'is required (register this device first)' }]);
    if (typeof header !== 'string' || !UUID.test(header)) throw badRequest('x-device-id: must be an id', [{ path: 'x-device-id', message: 'must be an id' }]);
    const d = await this.db.selectFrom('devices').select(['account_id', 'revoked_at']).where('id', '=', header).executeTakeFirst();
    if (!d || d.account_id !== actor.accountId || d.revoked_at) throw deviceRevoked();
    await this.db.updateTable('devices').set({ last_seen_at: new Date() }).where('id', '=', header).execute();
    return header;
  }

  /**
   * For a request without a session (a disabled account is signed out everywhere): a device that is revoked, or
   * whose account is disabled, still gets 410 so that the app wipes its data. Anything else falls through to 401.
   */
  async revokedWithoutSession(header: unknown): Promise<boolean> {
    if (typeof header !== 'string' || !UUID.test(header)) return false;
    const d = await this.db
      .selectFrom('devices as d')
      .innerJoin('accounts as a', 'a.id', 'd.account_id')
      .select(['d.revoked_at', 'a.disabled'])
      .where('d.id', '=', header)
      .executeTakeFirst();
    return !!d && (d.revoked_at !== null || d.disabled);
  }
}
