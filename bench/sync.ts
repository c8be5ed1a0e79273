/**
 * Outreach sync benchmark (issue 4): a push of 500 contacts, against the database inserting the same rows raw,
 * and 100 devices syncing at once over real HTTP on 127.0.0.1.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/sync.ts   (the target engine)
 *   npx tsx bench/sync.ts                                                            (PGlite)
 * Prints a table; nothing here asserts a time.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { computeUic } from '../src/core/uic.js';
import { startTestApp, type Client } from '../test/helpers.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 100);

const t = await startTestApp({ loginRateLimit: 100_000 });
const ngo = await t.org('health', 'ngo', 'Bench NGO');

async function device(c: Client, label: string): Promise<string> {
  const r = await c.post('/api/devices', { label });
  if (r.statusCode !== 201 && r.statusCode !== 200) throw new Error(`device: ${r.body}`);
  return r.json().id;
}

const worker = await t.user('outreach_worker', ngo);
const deviceId = await device(worker, 'bench phone');
const clientIds: string[] = [];
{
  const records = Array.from({ length: 200 }, (_, i) => {
    const id = randomUUID();
    clientIds.push(id);
    const uic = computeUic({ motherName: `Sokha${i}`, fatherName: `Dara${i}`, sex: i % 2 ? 'male' : 'female', birthDate: `19${70 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}` });
    return { kind: 'client', id, data: { uic, sex: i % 2 ? 'male' : 'female', birthYear: 1970 + (i % 30), firstContactOn: '2026-01-05', drugs: ['heroin'], route: 'inject' } };
  });
  const r = await worker.request('POST', '/api/sync/push', { records }, { 'x-device-id': deviceId });
  if (r.statusCode !== 200) throw new Error(r.body);
}

function contacts(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'contact',
    id: randomUUID(),
    data: {
      clientId: clientIds[i % clientIds.length],
      at: new Date(Date.UTC(2026, 5, 1 + (i % 28), 3, i % 60)).toISOString(),
      setting: 'drop_in',
      needles: { '27G': 10 },
      syringes: { '1ml': 10 },
      returned: 8,
      condoms: 4,
      hivTest: i % 10 === 0 ? 'negative' : 'not_done',
    },
  }));
}

// The columns the service fills for such a contact, so that the raw insert writes the same rows.
const RAW_DEFAULTS = {
  hotspot_id: null,
  needles: JSON.stringify({ '27G': 10 }),
  syringes: JSON.stringify({ '1ml': 10 }),
  needles_total: 10,
  syringes_total: 10,
  returned: 8,
  condoms: 4,
  naloxone: 0,
  hiv_test: 'not_done',
  hcv_test: 'not_done',
  counselling: false,
  wound_care: false,
  created_by: worker.accountId,
  device_id: deviceId,
  created_at: new Date(),
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// (1) 500 contacts in one push, through the API (session, CSRF, device check, policy, validation, idempotency,
// audit chain) vs a raw INSERT of the same 500 rows.
const apiMs: number[] = [];
const rawMs: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const batch = contacts(500);
  const t0 = performance.now();
  const r = await worker.request('POST', '/api/sync/push', { records: batch }, { 'x-device-id': deviceId });
  apiMs.push(performance.now() - t0);
  if (r.statusCode !== 200 || r.json().results.some((x: { status: string }) => x.status !== 'accepted')) throw new Error(r.body.slice(0, 500));
  const rows = contacts(500).map((c) => ({
    id: c.id,
    organisation_id: ngo,
    client_id: c.data.clientId,
    at: new Date(c.data.at),
    setting: c.data.setting,
  }));
  const t1 = performance.now();
  await t.db.insertInto('outreach_contacts' as never).values(rows.map((r) => ({ ...r, ...RAW_DEFAULTS })) as never).execute();
  rawMs.push(performance.now() - t1);
}

// (2) 100 devices at once over real HTTP: each signs in, registers, and pushes 20 contacts twice (the second push is
// a retry of the same batch: idempotent).
await t.app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
const workers = [];
for (let i = 0; i < DEVICES; i++) workers.push(await t.user('outreach_worker', ngo));
let errors = 0;
let accepted = 0;
let alreadyHad = 0;
const t2 = performance.now();
await Promise.all(
  workers.map(async (w, i) => {
    const headers = { cookie: w.cookie!, 'x-csrf-token': w.csrf!, 'content-type': 'application/json' };
    const reg = await fetch(`${base}/api/devices`, { method: 'POST', headers, body: JSON.stringify({ label: `phone ${i}` }) });
    if (!reg.ok) return void errors++;
    const dev = ((await reg.json()) as { id: string }).id;
    const batch = contacts(20);
    for (let k = 0; k < 2; k++) {
      const res = await fetch(`${base}/api/sync/push`, { method: 'POST', headers: { ...headers, 'x-device-id': dev }, body: JSON.stringify({ records: batch }) });
      if (!res.ok) {
        errors++;
        continue;
      }
      for (const r of ((await res.json()) as { results: { status: string }[] }).results) {
        if (r.status === 'accepted') accepted++;
        else if (r.status === 'already_had') alreadyHad++;
        else errors++;
      }
      const pull = await fetch(`${base}/api/sync/pull?limit=500`, { headers: { cookie: w.cookie!, 'x-device-id': dev } });
      if (!pull.ok) errors++;
    }
  }),
);
const concurrentMs = performance.now() - t2;

console.log(`\nEngine: ${t.engine}; median of ${RUNS} runs\n`);
console.log('| work | Tonle | database raw | ratio |');
console.log('| --- | ---: | ---: | ---: |');
console.log(`| sync push of 500 contacts (one request) vs raw insert of 500 rows | ${median(apiMs).toFixed(0)} ms | ${median(rawMs).toFixed(0)} ms | ${(median(apiMs) / median(rawMs)).toFixed(2)} |`);
console.log(
  `\n${DEVICES} devices at once over HTTP (register, push 20 contacts, retry the same push, pull after each): ${concurrentMs.toFixed(0)} ms in all; ` +
    `${accepted} accepted, ${alreadyHad} already had, ${errors} errors`,
);
await t.close();
