/** Shared bits of the treatment tests: centres run by health organisations, admission bodies, UICs, row counts. */
import { expect } from 'vitest';
import type { Client, TestApp } from './helpers.js';
import type { Database } from '../src/server/db/index.js';
import type { OrgKind } from '../src/core/roles.js';
import { UIC_LETTERS } from '../src/core/uic.js';

let n = 0;
/** A valid UIC of the default format M2F2SYYMMDD, distinct per call (letters from the UIC alphabet only). */
export function nextUic(sex: 'M' | 'F' | 'X' = 'M'): string {
  const k = ++n + 7919;
  const L = UIC_LETTERS;
  const letters = [k % L.length, Math.floor(k / L.length) % L.length, Math.floor(k / L.length ** 2) % L.length, Math.floor(k / L.length ** 3) % L.length].map((i) => L[i]).join('');
  return `${letters}${sex}${String(80 + (k % 20)).padStart(2, '0')}${String((k % 12) + 1).padStart(2, '0')}${String((k % 28) + 1).padStart(2, '0')}`;
}

/** A valid admission body (compulsory administrative, referred by the police), with overrides. */
export function admissionBody(centreId: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    centreId,
    uic: nextUic(),
    admittedOn: '2024-03-01',
    referralSource: 'police',
    legalBasis: 'compulsory_administrative',
    consentRecorded: false,
    primaryDrug: 'crystal_meth',
    secondaryDrugs: ['meth_tablets'],
    route: 'smoke',
    injecting: 'never',
    previousTreatment: 'never',
    sex: 'male',
    ageBand: '25_34',
    ...over,
  };
}

/** A voluntary admission body (consent recorded, self-referred). */
export const voluntary = (centreId: string, over: Record<string, unknown> = {}) =>
  admissionBody(centreId, { legalBasis: 'voluntary', consentRecorded: true, referralSource: 'self', ...over });

/** A health organisation that runs a centre. */
export function centreOrg(t: TestApp, name: string, kind: OrgKind = 'community_treatment_centre', provinceCode = 'KH-12'): Promise<string> {
  return t.org('health', kind, name, provinceCode);
}

/** A centre in the register (created by the administrator). */
export async function createCentre(t: TestApp, organisationId: string, over: Record<string, unknown> = {}): Promise<any> {
  const res = await t.admin.post('/api/treatment/centres', {
    name: `Centre ${++n}`,
    organisationId,
    kind: 'community',
    modality: 'community',
    admissionPolicy: 'voluntary',
    capacity: 20,
    provinceCode: 'KH-12',
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function admit(c: Client, body: Record<string, unknown>): Promise<any> {
  const res = await c.post('/api/treatment/admissions', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function discharge(c: Client, stay: { id: string; version: number }, dischargedOn: string, reason = 'completed'): Promise<any> {
  const res = await c.post(`/api/treatment/admissions/${stay.id}/discharge`, { version: stay.version, dischargedOn, reason });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

export async function treatmentCounts(db: Database) {
  const count = async (table: 'treatment_admissions' | 'treatment_centres' | 'audit_log') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const discharged = Number(
    (await db.selectFrom('treatment_admissions').select((eb) => eb.fn.countAll().as('n')).where('discharged_on', 'is not', null).executeTakeFirstOrThrow()).n,
  );
  return { admissions: await count('treatment_admissions'), discharged, centres: await count('treatment_centres'), audit: await count('audit_log') };
}

/** Audit entries after a sequence number, oldest first. */
export async function auditSince(db: Database, seq: number) {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  return rows
    .filter((r) => Number(r.seq) > seq)
    .map((r) => ({ ...r, seq: Number(r.seq), details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, any> }));
}

export async function lastAuditSeq(db: Database): Promise<number> {
  const r = await db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return r ? Number(r.seq) : 0;
}
