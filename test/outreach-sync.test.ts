import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import { clientRecord, contactRecord, healthOrg, outreachCounts, pull, push, pushOk, registerDevice } from './outreach-helpers.js';

let t: TestApp;
let org: string;
let worker: Client & { accountId: string };
let pm: Client;
let device: string;

beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: 10_000 });
  const imp = await t.admin.post('/api/geography/import', readFileSync('reference/geography-sample-phnom-penh.csv', 'utf8'), { 'content-type': 'text/csv' });
  expect(imp.statusCode).toBe(200);
  org = await healthOrg(t, 'Sync NGO');
  worker = await t.user('outreach_worker', org);
  pm = await t.user('programme_manager', org);
  device = await registerDevice(worker);
});
afterAll(() => t.close());

describe('sync push', () => {
  it('the same batch pushed three times creates each record once; the repeats answer already_had', async () => {
    const clients = [clientRecord(), clientRecord(), clientRecord({ sex: 'male', birthYear: null })];
    const contacts = [contactRecord(clients[0].id), contactRecord(clients[1].id), contactRecord(null)];
    const batch = [...clients, ...contacts];
    const before = await outreachCounts(t.db);
    const first = await pushOk(worker, device, batch);
    expect(first.map((r) => r.status)).toEqual(batch.map(() => 'accepted'));
    expect(first.map((r) => r.id)).toEqual(batch.map((r) => r.id));
    const afterFirst = await outreachCounts(t.db);
    expect(afterFirst.clients - before.clients).toBe(3);
    expect(afterFirst.contacts - before.contacts).toBe(3);
    expect(afterFirst.referrals - before.referrals).toBe(3);
    // every accepted record left its audit entry
    expect(afterFirst.audit - before.audit).toBe(6);
    for (let k = 0; k < 2; k++) {
      const again = await pushOk(worker, device, batch);
      expect(again.map((r) => r.status)).toEqual(batch.map(() => 'already_had'));
    }
    const after = await outreachCounts(t.db);
    expect({ ...after, audit: 0 }).toEqual({ ...afterFirst, audit: 0 });
    expect(after.audit).toBe(afterFirst.audit);
  });

  it('a batch with one invalid record accepts the others, in order, naming the field of the bad one', async () => {
    const good1 = clientRecord();
    const bad = clientRecord({ uic: 'not a uic' });
    const good2 = clientRecord();
    const contact = contactRecord(good1.id);
    const res = await pushOk(worker, device, [good1, bad, good2, contact]);
    expect(res.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted', 'accepted']);
    expect(res[1].id).toBe(bad.id);
    expect(res[1].reason).toMatch(/^uic: /);
    expect(await t.db.selectFrom('outreach_clients').select('id').where('id', '=', bad.id).executeTakeFirst()).toBeUndefined();
    expect(await t.db.selectFrom('outreach_clients').select('id').where('id', '=', good2.id).executeTakeFirst()).toBeDefined();
  });

  it('unknown fields in a record are rejected with "field: message" and not stored', async () => {
    const named = clientRecord({ name: 'Sokha', phone: '012345678' });
    const contact = contactRecord(null, { note: 'lives behind the market' });
    const envelope = { ...clientRecord(), photo: 'x' };
    const before = await outreachCounts(t.db);
    const res = await pushOk(worker, device, [named, contact, envelope]);
    expect(res.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(res[0].reason).toMatch(/^name, phone: is not an accepted field/);
    expect(res[1].reason).toMatch(/^note: is not an accepted field/);
    expect(res[2].reason).toMatch(/^photo: is not an accepted field/);
    expect(await outreachCounts(t.db)).toEqual(before);
    const raw = JSON.stringify(await t.db.selectFrom('outreach_clients').selectAll().execute()) + JSON.stringify(await t.db.selectFrom('audit_log').selectAll().execute());
    expect(raw).not.toContain('Sokha');
    expect(raw).not.toContain('012345678');
    expect(raw).not.toContain('market');
  });

  it('rejects bad records one by one: wrong kind, id, types, a contact of an unknown client, a hotspot contact without a hotspot', async () => {
    const res = await pushOk(worker, device, [
      { kind: 'person', id: randomUUID(), data: {} },
      { kind: 'client', id: 'abc', data: {} },
      clientRecord({ sex: 'unknown' }),
      clientRecord({ birthYear: 1800 }),
      clientRecord({ firstContactOn: '2999-01-01' }),
      contactRecord(randomUUID()),
      contactRecord(null, { setting: 'hotspot' }),
      contactRecord(null, { needles: { '27G': -1 } }),
      { kind: 'client_status', id: randomUUID(), data: { status: 'died' } },
      { kind: 'referral_outcome', id: randomUUID(), data: { outcome: 'completed', outcomeOn: '2024-03-02' } },
    ]);
    expect(res.map((r) => r.status)).toEqual(res.map(() => 'rejected'));
    const reasons = res.map((r) => r.reason);
    expect(reasons[0]).toMatch(/^kind: /);
    expect(reasons[1]).toMatch(/^id: /);
    expect(reasons[2]).toMatch(/^sex: /);
    expect(reasons[3]).toMatch(/^birthYear: /);
    expect(reasons[4]).toMatch(/^firstContactOn: /);
    expect(reasons[5]).toBe('clientId: is not a known client (push the client first)');
    expect(reasons[6]).toMatch(/^hotspotId: is required/);
    expect(reasons[7]).toMatch(/^needles.27G: /);
    expect(reasons[8]).toBe('id: is not a known client');
    expect(reasons[9]).toBe('id: is not a known referral');
  });

  it('a record that is not even an object makes the request malformed: 400 naming it, nothing stored', async () => {
    const before = await outreachCounts(t.db);
    const res = await push(worker, device, [clientRecord(), 'not an object']);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('records.1');
    expect(await outreachCounts(t.db)).toEqual(before);
  });

  it('more than 1000 records is refused as a whole with 400', async () => {
    const res = await push(worker, device, Array.from({ length: 1001 }, () => clientRecord()));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('records');
  });

  it('status and referral outcome updates: accepted once, then already_had; the pull shows the change', async () => {
    const c = clientRecord();
    const k = contactRecord(c.id);
    await pushOk(worker, device, [c, k]);
    const refId = (k.data.referrals as { id: string }[])[0].id;
    const upd = [
      { kind: 'client_status', id: c.id, data: { status: 'moved' } },
      { kind: 'referral_outcome', id: refId, data: { outcome: 'completed', outcomeOn: '2024-03-05' } },
    ];
    expect((await pushOk(worker, device, upd)).map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect((await pushOk(worker, device, upd)).map((r) => r.status)).toEqual(['already_had', 'already_had']);
    const r = await t.db.selectFrom('outreach_referrals').selectAll().where('id', '=', refId).executeTakeFirstOrThrow();
    expect(r.outcome).toBe('completed');
    const got = await pm.get(`/api/outreach/clients/${c.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json().status).toBe('moved');
    expect(got.json().contacts[0].referrals[0].outcome).toBe('completed');
  });
});

describe('devices', () => {
  it('a push or pull without x-device-id is 400; with another account\'s device, 410', async () => {
    const res = await worker.post('/api/sync/push', { records: [] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].path).toBe('x-device-id');
    const other = await t.user('outreach_worker', org);
    const otherDevice = await registerDevice(other);
    const r2 = await push(worker, otherDevice, [clientRecord()]);
    expect(r2.statusCode).toBe(410);
    expect(r2.json().error.code).toBe('device_revoked');
  });

  it('a revoked device gets 410 and nothing is stored', async () => {
    const w = await t.user('outreach_worker', org);
    const d = await registerDevice(w);
    expect((await pushOk(w, d, [clientRecord()]))[0].status).toBe('accepted');
    const list = await pm.get('/api/devices');
    expect(list.json().items.map((x: { id: string }) => x.id)).toContain(d);
    const rev = await pm.post(`/api/devices/${d}/revoke`);
    expect(rev.statusCode, rev.body).toBe(200);
    const before = await outreachCounts(t.db);
    const res = await push(w, d, [clientRecord(), contactRecord(null)]);
    expect(res.statusCode).toBe(410);
    expect(res.json().error.code).toBe('device_revoked');
    expect((await pull(w, d)).statusCode).toBe(410);
    expect(await outreachCounts(t.db)).toEqual(before);
  });

  it('disabling an account revokes its devices: its device gets 410 even without a session', async () => {
    const w = await t.user('outreach_worker', org);
    const d = await registerDevice(w);
    const off = await t.admin.patch(`/api/accounts/${w.accountId}`, { disabled: true });
    expect(off.statusCode).toBe(200);
    const dev = await t.db.selectFrom('devices').select('revoked_at').where('id', '=', d).executeTakeFirstOrThrow();
    expect(dev.revoked_at).not.toBeNull();
    const res = await push(w, d, [clientRecord()]);
    expect(res.statusCode).toBe(410);
    expect(res.json().error.code).toBe('device_revoked');
    // signed out with no device, or an unknown one: the usual 401
    expect((await t.anon().post('/api/sync/push', { records: [] })).statusCode).toBe(401);
    expect((await push(t.anon(), randomUUID(), [])).statusCode).toBe(401);
  });

  it('a programme manager of another organisation cannot revoke, or see, this organisation\'s devices', async () => {
    const otherPm = await t.user('programme_manager', await healthOrg(t, 'Other NGO for devices'));
    const rev = await otherPm.post(`/api/devices/${device}/revoke`);
    expect(rev.statusCode).toBe(404);
    expect((await otherPm.post(`/api/devices/${randomUUID()}/revoke`)).body).toBe(rev.body);
    expect((await otherPm.get('/api/devices')).json().items).toEqual([]);
    expect((await pull(worker, device)).statusCode).toBe(200);
  });
});

describe('sync pull', () => {
  it('pages through 1,200 clients with a cursor without loss or duplicates', async () => {
    const o = await healthOrg(t, 'Pull NGO');
    const w = await t.user('outreach_worker', o);
    const d = await registerDevice(w);
    const ids: string[] = [];
    for (let b = 0; b < 3; b++) {
      const batch = Array.from({ length: 400 }, () => clientRecord());
      ids.push(...batch.map((r) => r.id));
      const res = await pushOk(w, d, batch);
      expect(res.every((r) => r.status === 'accepted')).toBe(true);
    }
    const hs = await t.user('programme_manager', o);
    expect((await hs.post('/api/outreach/hotspots', { code: 'PP01', districtCode: '1201' })).statusCode).toBe(201);
    const seen: string[] = [];
    let hotspots = 0;
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const res = await pull(w, d, cursor, 250);
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      const page = res.json();
      seen.push(...page.clients.map((c: { id: string }) => c.id));
      hotspots += page.hotspots.length;
      expect(page.clients.length + page.hotspots.length).toBeLessThanOrEqual(250);
      cursor = page.cursor;
      pages++;
      if (!page.more) break;
      expect(pages).toBeLessThan(20);
    }
    expect(seen.length).toBe(1200);
    expect(new Set(seen).size).toBe(1200);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect(hotspots).toBe(1);
    // nothing new: an empty page with the same cursor
    const again = (await pull(w, d, cursor)).json();
    expect(again).toEqual({ clients: [], hotspots: [], cursor, more: false });
    // a change after the cursor comes on the next pull, once
    const one = clientRecord();
    await pushOk(w, d, [one]);
    const next = (await pull(w, d, cursor)).json();
    expect(next.clients.map((c: { id: string }) => c.id)).toEqual([one.id]);
  });

  it('a pull of client rows is audited with the count, not the rows', async () => {
    const res = await pull(worker, device);
    expect(res.statusCode).toBe(200);
    const n = res.json().clients.length;
    const last = await t.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(last.action).toBe('client.read');
    const details = typeof last.details === 'string' ? JSON.parse(last.details) : last.details;
    expect(details.count).toBe(n);
    expect(JSON.stringify(details)).not.toMatch(/[A-Z]{4}[MFX9]\d{6}/);
  });
});

describe('organisation views', () => {
  it('clients list and UIC search, duplicates and merge, indicators and CSV', async () => {
    const o = await healthOrg(t, 'Views NGO');
    const w = await t.user('outreach_worker', o);
    const m = await t.user('programme_manager', o);
    const d = await registerDevice(w);
    const a = clientRecord({ uic: 'SKDRF940307' });
    const b = clientRecord({ uic: 'SKDRF940308' });
    const c = clientRecord({ uic: 'SKDRF940307', sex: 'male' });
    await pushOk(w, d, [a, b, c, contactRecord(a.id), contactRecord(b.id, { at: '2024-03-08T09:00:00+07:00' }), contactRecord(null)]);
    const search = await w.get('/api/outreach/clients?uic=skdrf9403');
    expect(search.statusCode).toBe(200);
    expect(search.json().items.map((x: { id: string }) => x.id).sort()).toEqual([a.id, b.id, c.id].sort());
    const dups = await m.get('/api/outreach/duplicates');
    expect(dups.statusCode).toBe(200);
    expect(dups.json().items).toHaveLength(3);
    const same = dups.json().items.find((p: { sameUic: boolean }) => p.sameUic);
    expect(same.sexDiffers).toBe(true);
    expect((await m.post('/api/outreach/duplicates/decide', { a: a.id, b: c.id, decision: 'keep_apart' })).statusCode).toBe(200);
    expect((await m.post('/api/outreach/duplicates/decide', { a: a.id, b: b.id, decision: 'merge' })).statusCode).toBe(200);
    expect((await m.get('/api/outreach/duplicates')).json().items).toHaveLength(0);
    const merged = await m.get(`/api/outreach/clients/${a.id}`);
    expect(merged.json().contacts).toHaveLength(2);
    // a contact pushed later for the merged-away client lands on the one kept
    await pushOk(w, d, [contactRecord(b.id)]);
    expect((await m.get(`/api/outreach/clients/${a.id}`)).json().contacts).toHaveLength(3);

    const ind = await m.get('/api/outreach/indicators?from=2024-03-01&to=2024-03-31&by=week');
    expect(ind.statusCode, ind.body).toBe(200);
    const total = ind.json().total;
    expect(total.clientsReached).toBe(1);
    expect(total.contacts).toBe(3);
    expect(total.anonymousContacts).toBe(1);
    expect(total.needlesSyringes).toBe(80);
    expect(total.referralsMade).toBe(4);
    const csv = await m.get('/api/outreach/indicators.csv?from=2024-03-01&to=2024-03-31&by=sex');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\r\n')[0]).toMatch(/^key,clientsReached,newClients/);
    // the outreach worker has no indicators or duplicates
    expect((await w.get('/api/outreach/indicators')).statusCode).toBe(403);
    expect((await w.get('/api/outreach/duplicates')).statusCode).toBe(403);
  });

  it('aggregates for outsiders are suppressed and carry no client-level field', async () => {
    const analyst = await t.user('analyst', await t.org('oversight', 'national_committee', 'Agg committee'));
    // a date range is refused by name: only fixed reporting periods (issue 9)
    const range = await analyst.get('/api/outreach/aggregates?from=2024-01-01&to=2024-12-31&by=province&split=sex');
    expect(range.statusCode).toBe(400);
    expect(range.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['query.from', 'query.to']);
    const res = await analyst.get('/api/outreach/aggregates?period=2024&by=province&split=sex');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    for (const row of body.clientsReached.cells) for (const v of row) expect(typeof v === 'number' ? v === 0 || v >= 5 : ['<5', '*'].includes(v)).toBe(true);
    expect(res.body).not.toMatch(/[A-Z9]{4}[MFX9]\d{6}/);
    expect(res.body).not.toContain('PP01');
    expect(res.body).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });
});
