/** Shared bits of the harm reduction tests: records to push, a device per client, pushing and pulling. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Client, TestApp } from './helpers.js';
import type { Database } from '../src/server/db/index.js';

let n = 0;
/** A valid UIC of the default format; distinct per call. */
export function nextUic(): string {
  const letters = 'BCDHKLMNPRSTVY';
  const k = ++n;
  const a = letters[k % 14] + letters[Math.floor(k / 14) % 14];
  const b = letters[Math.floor(k / 196) % 14] + letters[Math.floor(k / 2744) % 14];
  return `${a}${b}F99${String((k % 12) + 1).padStart(2, '0')}${String((k % 28) + 1).padStart(2, '0')}`;
}

export function clientRecord(over: Record<string, unknown> = {}) {
  const id = (over.id as string) ?? randomUUID();
  return {
    kind: 'client',
    id,
    data: { uic: nextUic(), sex: 'female', birthYear: 1999, firstContactOn: '2024-03-01', drugs: ['crystal_meth'], route: 'smoke', status: 'active', ...over, id: undefined },
  };
}

export function contactRecord(clientId: string | null, over: Record<string, unknown> = {}) {
  return {
    kind: 'contact',
    id: (over.id as string) ?? randomUUID(),
    data: {
      clientId,
      at: '2024-03-01T10:00:00+07:00',
      setting: 'drop_in',
      hotspotId: null,
      needles: { '27G': 10 },
      syringes: { '1ml': 10 },
      returned: 5,
      condoms: 2,
      naloxone: 0,
      hivTest: 'negative',
      hcvTest: 'not_done',
      counselling: true,
      woundCare: false,
      referrals: [{ id: randomUUID(), target: 'art', outcome: 'pending', outcomeOn: null }],
      ...over,
      id: undefined,
    },
  };
}

/** Strip undefined (JSON drops them anyway). */
const clean = <T>(x: T): T => JSON.parse(JSON.stringify(x));

export async function registerDevice(c: Client, label = 'Test phone'): Promise<string> {
  const res = await c.post('/api/devices', { label });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

export async function push(c: Client, device: string, records: unknown[]) {
  return c.request('POST', '/api/sync/push', clean({ records }), { 'x-device-id': device });
}

export async function pushOk(c: Client, device: string, records: unknown[]) {
  const res = await push(c, device, records);
  expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
  return res.json().results as { id: string; status: string; reason?: string }[];
}

export async function pull(c: Client, device: string, cursor?: string, limit = 500) {
  const q = new URLSearchParams({ limit: String(limit) });
  if (cursor) q.set('cursor', cursor);
  return c.request('GET', `/api/sync/pull?${q}`, undefined, { 'x-device-id': device });
}

export async function healthOrg(t: TestApp, name: string): Promise<string> {
  return t.org('health', 'ngo', name);
}

export async function outreachCounts(db: Database) {
  const n = async (table: 'outreach_clients' | 'outreach_contacts' | 'outreach_referrals' | 'hotspots' | 'audit_log' | 'devices') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return {
    clients: await n('outreach_clients'),
    contacts: await n('outreach_contacts'),
    referrals: await n('outreach_referrals'),
    hotspots: await n('hotspots'),
    audit: await n('audit_log'),
  };
}
