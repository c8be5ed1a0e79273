/** Shared bits of the enforcement tests: a valid case body, campaign and organisation helpers, row counts. */
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { Client, TestApp } from './helpers.js';
import type { Database } from '../src/server/db/index.js';

let refCounter = 0;
export const nextRef = (prefix = 'T') => `${prefix}-${++refCounter}/2024`;

/** A valid new case (dates in the past), with two persons, one seizure and some assets. */
export function validCase(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    unitReference: nextRef(),
    occurredOn: '2024-03-01',
    reportedOn: '2024-03-02',
    provinceCode: 'KH-12',
    caseType: 'trafficking',
    persons: [
      { role: 'suspected_trafficker', sex: 'male', ageBand: '25_34', nationality: 'KH', disposition: 'pending' },
      { role: 'alleged_user', sex: 'female', ageBand: '18_24', nationality: 'VN', disposition: 'referred_treatment_voluntary' },
    ],
    seizures: [{ drug: 'crystal_meth', quantity: 12.5, unit: 'g' }],
    assets: { vehicles: 0, motorcycles: 1, phones: 2, cashKhr: 150000, cashUsd: 20, weapons: 0 },
    ...over,
  };
}

export async function createCase(c: Client, over: Record<string, unknown> = {}): Promise<any> {
  const res = await c.post('/api/cases', validCase(over));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function createCampaign(t: TestApp, startDate: string, over: Record<string, unknown> = {}): Promise<string> {
  const res = await t.admin.post('/api/campaigns', { nameEn: `Campaign from ${startDate}`, nameKm: 'យុទ្ធនាការប្រឆាំងគ្រឿងញៀន', startDate, pillars: ['enforcement'], ...over });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** An enforcement organisation, optionally under a parent. */
export async function policeOrg(t: TestApp, name: string, parentId?: string, provinceCode = 'KH-12'): Promise<string> {
  const res = await t.admin.post('/api/organisations', { name, sector: 'enforcement', kind: 'police_unit', provinceCode, ...(parentId ? { parentId } : {}) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

export async function countRows(db: Database) {
  const n = async (table: 'enforcement_cases' | 'case_persons' | 'case_seizures' | 'audit_log' | 'campaigns') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return {
    cases: await n('enforcement_cases'),
    persons: await n('case_persons'),
    seizures: await n('case_seizures'),
    audit: await n('audit_log'),
    campaigns: await n('campaigns'),
  };
}

export function expectErrorShape(res: LightMyRequestResponse, label = '') {
  const body = res.json();
  expect(body.error, label).toEqual({ code: expect.any(String), message: expect.any(String), fields: expect.any(Array) });
  for (const f of body.error.fields) expect(f, label).toEqual({ path: expect.any(String), message: expect.any(String) });
}

export const paths = (res: LightMyRequestResponse): string[] => res.json().error.fields.map((f: { path: string }) => f.path);

/** Parse an NDJSON import answer into its lines. */
export function ndjson(res: LightMyRequestResponse): any[] {
  return res.body
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/** The final {result} of an import answer (fails the test when the import did not end with a result). */
export function importResult(res: LightMyRequestResponse): { cases: number; rows: number; created: number; updated: number; unchanged: number } {
  expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
  const lines = ndjson(res);
  const last = lines.at(-1);
  expect(last, res.body.slice(-500)).toHaveProperty('result');
  return last.result;
}
