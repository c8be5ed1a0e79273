/**
 * The append-only audit trail. `record` is called inside the same transaction as the change it describes;
 * a transaction-scoped advisory lock serialises writers so that the hash chain has one order.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/index.js';
import type { DB } from '../db/schema.js';
import { canonicalJson, entryHash, GENESIS } from './chain.js';

const AUDIT_LOCK = 7_130_001;

export interface AuditWho {
  accountId: string | null;
  organisationId: string | null;
  ip: string | null;
}

export interface AuditWhat {
  action: string;
  entity: string;
  entityId?: string | null;
  details?: Record<string, unknown>;
}

export function recordAudit(trx: Transaction<DB>, who: AuditWho, what: AuditWhat): Promise<void> {
  return recordAuditMany(trx, who, [what]);
}

/** Write an audit entry in a transaction of its own (events that change nothing else, such as a failed login). */
export function recordAuditAlone(db: Database, who: AuditWho, what: AuditWhat): Promise<void> {
  return db.transaction().execute((trx) => recordAudit(trx, who, what));
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; reason: string };
}

/** Walk the whole chain in order, in pages, and report the first row whose link or hash does not hold. */
export async function verifyAuditChain(db: Database, pageSize = 5000): Promise<VerifyResult> {
  let prev = GENESIS;
  let after = 0;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where(sql<number>`seq`, '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return { ok: true, checked };
    for (const r of rows) {
      const seq = Number(r.seq);
      if (r.prev_hash !== prev) return { ok: false, checked, firstBroken: { seq, reason: 'previous-hash link broken (a row before it was removed or changed)' } };
      const expected = entryHash(prev, {
        at: new Date(r.at),
        accountId: r.account_id,
        organisationId: r.organisation_id,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        ip: r.ip,
        details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
      });
      if (expected !== r.hash) return { ok: false, checked, firstBroken: { seq, reason: 'content does not match its hash (the row was changed)' } };
      prev = r.hash;
      after = seq;
      checked++;
    }
  }
}

/** Many entries at once (a bulk import): one lock, hashes chained in memory, inserted in batches. */
export async function recordAuditMany(trx: Transaction<DB>, who: AuditWho, whats: AuditWhat[]): Promise<void> {
  if (whats.length === 0) return;
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let prev = last?.hash ?? GENESIS;
  const at = new Date();
  const rows = whats.map((what) => {
    const content = {
      at,
      accountId: who.accountId,
      organisationId: who.organisationId,
      action: what.action,
      entity: what.entity,
      entityId: what.entityId ?? null,
      ip: who.ip,
      details: what.details ?? {},
    };
    const hash = entryHash(prev, content);
    const row = {
      at,
      account_id: content.accountId,
      organisation_id: content.organisationId,
      action: content.action,
      entity: content.entity,
      entity_id: content.entityId,
      ip: content.ip,
      details: canonicalJson(content.details),
      prev_hash: prev,
      hash,
    };
    prev = hash;
    return row;
  });
  for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('audit_log').values(rows.slice(i, i + 1000)).execute();
}
