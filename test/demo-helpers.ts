/**
 * A real server on a fresh database holding the demo dataset (src/server/bootstrap.ts with `demo`: the seed week of
 * cases, the ten centres and their stays, the education sessions) plus a little outreach data pushed through sync,
 * and one signed-in client per role (the demo accounts). Used by the date-bounds and GET-route fuzz tests.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { bootstrap } from '../src/server/bootstrap.js';
import type { Database } from '../src/server/db/index.js';
import { addDays, todayInCambodia } from '../src/core/dates.js';
import { ROLES, type Role } from '../src/core/roles.js';
import { Client, freshDatabase } from './helpers.js';
import { clientRecord, contactRecord, pushOk, registerDevice } from './outreach-helpers.js';

/** Collections of ids, by the URL segment or `…Id` query field that names them ('cases', 'centres', …). */
export type IdCollections = Record<string, string[]>;

export interface DemoApp {
  app: FastifyInstance;
  db: Database;
  engine: 'pglite' | 'postgres';
  clients: Map<Role, Client>;
  /** Extra headers a role sends (the outreach roles' device id, for the sync routes). */
  headers: Map<Role, Record<string, string>>;
  ids: IdCollections;
  campaignId: string;
  /** The centre the demo treatment staff's organisation runs. */
  centreId: string;
  today: string;
  close(): Promise<void>;
}

export async function startDemoApp(): Promise<DemoApp> {
  const tdb = await freshDatabase();
  const boot = await bootstrap(tdb.db, { demo: true, sampleGeographyCsv: 'reference/geography-sample-phnom-penh.csv' });
  const app = await buildApp({ db: tdb.db, loginRateLimit: 10_000 });
  await app.ready();
  const clients = new Map<Role, Client>();
  for (const a of boot.demo!) {
    const c = new Client(app);
    const r = await c.login(a.username, a.password);
    if (r.statusCode !== 200) throw new Error(`demo login ${a.username} failed: ${r.body}`);
    clients.set(a.role, c);
  }
  for (const role of ROLES) if (!clients.has(role)) throw new Error(`the demo has no ${role}`);
  const today = todayInCambodia();

  // Outreach: a hotspot, 30 clients and 120 contacts over the last twelve weeks, pushed by the demo outreach worker.
  const manager = clients.get('programme_manager')!;
  const worker = clients.get('outreach_worker')!;
  const hs = await manager.post('/api/outreach/hotspots', { code: 'FUZZ1', districtCode: '1201' });
  expect(hs.statusCode, hs.body).toBe(201);
  const hotspotId = hs.json().id as string;
  const device = await registerDevice(worker, 'Fuzz phone');
  const managerDevice = await registerDevice(manager, 'Fuzz manager phone');
  const people = Array.from({ length: 30 }, (_, i) =>
    clientRecord({ sex: i % 3 === 0 ? 'male' : 'female', birthYear: 1980 + (i % 25), firstContactOn: addDays(today, -80 + i) }),
  );
  const contacts = Array.from({ length: 120 }, (_, i) => {
    const p = people[i % people.length];
    const day = addDays(p.data.firstContactOn as string, Math.floor(i / people.length) * 5);
    const on = day >= today ? addDays(today, -1) : day;
    return contactRecord(p.id, { at: `${on}T10:00:00+07:00`, ...(i % 4 === 0 ? { setting: 'hotspot', hotspotId } : {}), referrals: i % 5 === 0 ? [{ id: randomUUID(), target: 'art', outcome: 'pending', outcomeOn: null }] : [] });
  });
  const results = await pushOk(worker, device, [...people, ...contacts]);
  expect(results.filter((r) => r.status !== 'accepted'), JSON.stringify(results.find((r) => r.status !== 'accepted'))).toEqual([]);

  const db = tdb.db;
  const communityOrg = (await db.selectFrom('accounts').select('organisation_id').where('username', '=', 'demo-treatment').executeTakeFirstOrThrow()).organisation_id;
  const centres = await db.selectFrom('treatment_centres').select(['id', 'organisation_id']).orderBy('name').execute();
  const first = (rows: { id: string; organisation_id: string }[], org: string) => [...rows.filter((r) => r.organisation_id === org), ...rows.filter((r) => r.organisation_id !== org)].map((r) => r.id);
  const admissions = await db.selectFrom('treatment_admissions').select(['id', 'organisation_id']).orderBy('admitted_on', 'desc').limit(40).execute();
  const campaigns = (await db.selectFrom('campaigns').select('id').execute()).map((r) => r.id);
  const ids: IdCollections = {
    organisations: (await db.selectFrom('organisations').select('id').execute()).map((r) => r.id),
    accounts: (await db.selectFrom('accounts').select('id').execute()).map((r) => r.id),
    campaigns,
    cases: (await db.selectFrom('enforcement_cases').select('id').limit(20).execute()).map((r) => r.id),
    clients: people.map((p) => p.id),
    centres: first(centres, communityOrg),
    admissions: first(admissions, communityOrg),
    sessions: (await db.selectFrom('education_sessions').select('id').limit(10).execute()).map((r) => r.id),
    devices: [device, managerDevice],
    hotspots: [hotspotId],
  };
  const headers = new Map<Role, Record<string, string>>([
    ['outreach_worker', { 'x-device-id': device }],
    ['programme_manager', { 'x-device-id': managerDevice }],
  ]);
  return {
    app,
    db,
    engine: tdb.engine,
    clients,
    headers,
    ids,
    campaignId: campaigns[0],
    centreId: ids.centres[0],
    today,
    async close() {
      await app.close();
      await tdb.close();
    },
  };
}
