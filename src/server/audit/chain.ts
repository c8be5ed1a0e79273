/** The hash chain of the audit trail (pure): each entry's hash covers its content and the previous entry's hash. */
import { createHash } from 'node:crypto';

export const GENESIS = '0'.repeat(64);

export interface AuditContent {
  at: Date;
  accountId: string | null;
  organisationId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  ip: string | null;
  details: unknown;
}

/** JSON with object keys sorted at every level, so that jsonb's own key order does not matter. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

export function entryHash(prevHash: string, c: AuditContent): string {
  const body = canonicalJson({
    prev: prevHash,
    at: c.at.toISOString(),
    accountId: c.accountId,
    organisationId: c.organisationId,
    action: c.action,
    entity: c.entity,
    entityId: c.entityId,
    ip: c.ip,
    details: c.details ?? {},
  });
  return createHash('sha256').update(body).digest('hex');
}
