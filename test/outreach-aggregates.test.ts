/**
 * The harm-reduction maintained aggregates (issue 9, src/server/outreach/aggregates.ts) through the real server:
 *  - a fast-check property: random sequences of sync pushes (new clients, contacts on random days and places,
 *    anonymous contacts, referrals), replays of earlier batches, referral outcome updates (sync and the manager's
 *    PATCH), merges of duplicates and campaigns created or moved → verify is clean and a rebuild gives the same rows;
 *  - tampering one summary row makes verify fail, naming it;
 *  - the organisation's indicators read from the summaries equal the old pure computation over the contacts;
 *  - the national aggregates take only fixed periods, and the differencing attack recovers nothing.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import { movePastCampaign, pastCampaign } from './campaign-helpers.js';
import { clientRecord, contactRecord, pushOk, registerDevice } from './outreach-helpers.js';
import { harmReductionAggregates, HarmReductionCountSource, rebuildHarmReduction } from '../src/server/outreach/aggregates.js';
import { campaignToDatePeriod, periodContaining, type Campaign, type Period } from '../src/core/periods.js';
import { releaseCells, specMap } from '../src/server/disclosure/release.js';
import { harmReductionIndicators, HR_MEASURE_SPECS, INDICATOR_GROUPS, type ContactFact } from '../src/core/indicators/harm-reduction.js';
import { addDays, todayInCambodia } from '../src/core/dates.js';
import { bounds, isCrossedPeriod, type CellRef, type Shown } from '../src/core/disclosure.js';

let t: TestApp;
let org: string;
let worker: Client & { accountId: string };
let pm: Client;
let device: string;
let hotspots: string[];

beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: 10_000 });
  const imp = await t.admin.post('/api/geography/import', readFileSync('reference/geography-sample-phnom-penh.csv', 'utf8'), { 'content-type': 'text/csv' });
  expect(imp.statusCode).toBe(200);
  org = await t.org('health', 'ngo', 'Aggregates NGO');
  worker = await t.user('outreach_worker', org);
  pm = await t.user('programme_manager', org);
  device = await registerDevice(worker);
  hotspots = [];
  for (const code of ['HA1', 'HA2']) {
    const r = await pm.post('/api/outreach/hotspots', { code, districtCode: '1201' });
    expect(r.statusCode, r.body).toBe(201);
    hotspots.push(r.json().id);
  }
});
afterAll(() => t.close());

async function verify() {
  return harmReductionAggregates.verify(t.db);
}

const TABLES = ['hr_contacts_daily', 'hr_contacts_daily_hotspot', 'hr_contacts_daily_org', 'hr_client_days', 'hr_client_span', 'hr_period_clients', 'hr_period_counts', 'hr_period_margins'] as const;
async function snapshot() {
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(t.db);
    out[table] = rows.rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ property

type Op =
  | { kind: 'clients'; n: number; sexes: number[]; years: (number | null)[] }
  | { kind: 'contacts'; items: { client: number | null; day: number; hour: number; place: number; outcome: number }[] }
  | { kind: 'replay'; which: number }
  | { kind: 'outcome'; which: number; outcome: number; viaPatch: boolean }
  | { kind: 'merge'; a: number; b: number }
  | { kind: 'campaign'; start: number; end: number | null; move: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('clients' as const), n: fc.integer({ min: 1, max: 3 }), sexes: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }), years: fc.array(fc.option(fc.integer({ min: 1960, max: 2008 })), { minLength: 3, maxLength: 3 }) }) },
  { weight: 6, arbitrary: fc.record({
    kind: fc.constant('contacts' as const),
    items: fc.array(fc.record({ client: fc.option(fc.nat(40), { freq: 4 }), day: fc.integer({ min: 0, max: 500 }), hour: fc.integer({ min: 0, max: 23 }), place: fc.integer({ min: 0, max: 3 }), outcome: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 6 }),
  }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('replay' as const), which: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('outcome' as const), which: fc.nat(40), outcome: fc.integer({ min: 0, max: 2 }), viaPatch: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('merge' as const), a: fc.nat(40), b: fc.nat(40) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('campaign' as const), start: fc.integer({ min: 0, max: 500 }), end: fc.option(fc.integer({ min: 0, max: 120 })), move: fc.boolean() }) },
);

/**
 * Every cell of every released period of the data (and of the campaigns' weeks and campaign to date) released twice:
 * through the count source as the server uses it — which keeps sums and decisions by period version across
 * requests — and through the same source without versions, which reads and decides everything afresh. Called after
 * writes that changed some periods since the last call: a kept sum or decision that outlived its data differs.
 */
async function expectKeptAsFresh() {
  const days = (await sql<{ d: string }>`select distinct day::text as d from hr_client_days order by 1`.execute(t.db)).rows.map((r) => r.d);
  const cs = await t.db.selectFrom('campaigns').select(['id', 'start_date', 'end_date']).orderBy('start_date').execute();
  const groups: { campaign?: Campaign; periods: Period[] }[] = [];
  const distinct = (ps: Period[]) => [...new Map(ps.map((p) => [p.key, p])).values()];
  groups.push({ periods: (['iso_week', 'month', 'quarter', 'year'] as const).flatMap((type) => distinct(days.map((d) => periodContaining(type, d)))) });
  for (const c of cs.slice(0, 3)) {
    const campaign: Campaign = { id: c.id, startDate: c.start_date, endDate: c.end_date };
    const weeks = distinct(days.filter((d) => d >= c.start_date && (!c.end_date || d <= c.end_date)).map((d) => periodContaining('campaign_week', d, campaign)));
    groups.push({ campaign, periods: [...weeks, campaignToDatePeriod(campaign, todayInCambodia())] });
  }
  const specs = specMap(...HR_MEASURE_SPECS);
  let compared = 0;
  for (const g of groups) {
    const cells: CellRef[] = [];
    for (const measure of ['hr_clients_reached', 'hr_new_clients', 'hr_returning_clients']) {
      const spec = specs.get(measure)!;
      for (const period of g.periods) {
        cells.push({ measure, period, filter: {} });
        for (const d of spec.dims) for (const v of d.values) cells.push({ measure, period, filter: { [d.id]: v } });
        if (isCrossedPeriod(period)) for (const [a, b] of spec.crosses) for (const x of spec.dims.find((d) => d.id === a)!.values) for (const y of spec.dims.find((d) => d.id === b)!.values) cells.push({ measure, period, filter: { [a]: x, [b]: y } });
      }
    }
    const kept = await releaseCells(specs, new HarmReductionCountSource(t.db), cells, g.campaign);
    const again = await releaseCells(specs, new HarmReductionCountSource(t.db), cells, g.campaign);
    const afresh = await releaseCells(specs, new HarmReductionCountSource(t.db, false), cells, g.campaign);
    expect(kept).toEqual(afresh);
    expect(again).toEqual(afresh);
    compared += cells.length;
  }
  return compared;
}

const BASE = '2024-11-20'; // the random days run over a year boundary, weeks across months and quarters
const OUTCOMES = ['pending', 'completed', 'not_completed'] as const;

describe('harm reduction aggregates: maintained at every write', () => {
  it('random pushes, replays, referral outcomes, merges and campaigns: verify is clean and equals a rebuild', async () => {
    const clients: string[] = [];
    const batches: unknown[][] = [];
    const referrals: string[] = [];
    const campaigns: string[] = [];
    const merged = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 4, maxLength: 12 }), async (ops) => {
        for (const op of ops) {
          if (op.kind === 'clients') {
            const recs = Array.from({ length: op.n }, (_, i) => clientRecord({ sex: ['male', 'female', 'other'][op.sexes[i]], birthYear: op.years[i], firstContactOn: BASE }));
            await pushOk(worker, device, recs);
            clients.push(...recs.map((r) => r.id));
            batches.push(recs);
          } else if (op.kind === 'contacts') {
            const recs = op.items.map((it) => {
              const clientId = it.client === null || clients.length === 0 ? null : clients[it.client % clients.length];
              const day = addDays(BASE, it.day);
              const place = it.place === 3 ? { setting: 'hotspot', hotspotId: hotspots[it.hour % 2] } : { setting: ['drop_in', 'mobile', 'drop_in'][it.place], hotspotId: null };
              const refs = it.outcome === 3 ? [] : [{ id: randomUUID(), target: 'art', outcome: OUTCOMES[it.outcome], outcomeOn: null }];
              referrals.push(...refs.map((r) => r.id));
              return contactRecord(clientId, { at: `${day}T${String(it.hour).padStart(2, '0')}:30:00+00:00`, ...place, referrals: refs, hivTest: ['negative', 'positive', 'not_done'][it.hour % 3] });
            });
            const res = await pushOk(worker, device, recs);
            expect(res.every((r) => r.status === 'accepted'), JSON.stringify(res)).toBe(true);
            batches.push(recs);
          } else if (op.kind === 'replay') {
            if (!batches.length) continue;
            const res = await pushOk(worker, device, batches[op.which % batches.length]);
            expect(res.every((r) => r.status === 'already_had'), JSON.stringify(res)).toBe(true);
          } else if (op.kind === 'outcome') {
            if (!referrals.length) continue;
            const id = referrals[op.which % referrals.length];
            const outcome = OUTCOMES[op.outcome];
            if (op.viaPatch) expect((await pm.patch(`/api/outreach/referrals/${id}`, { outcome })).statusCode).toBe(200);
            else await pushOk(worker, device, [{ kind: 'referral_outcome', id, data: { outcome, outcomeOn: null } }]);
          } else if (op.kind === 'merge') {
            const live = clients.filter((c) => !merged.has(c));
            if (live.length < 2) continue;
            const a = live[op.a % live.length];
            const b = live[op.b % live.length];
            if (a === b) continue;
            const res = await pm.post('/api/outreach/duplicates/decide', { a, b, decision: 'merge' });
            expect(res.statusCode, res.body).toBe(200);
            merged.add(b);
          } else {
            const startDate = addDays(BASE, op.start);
            const endDate = op.end === null ? null : addDays(startDate, op.end);
            if (op.move && campaigns.length) {
              await movePastCampaign(t, campaigns[op.start % campaigns.length], { startDate, endDate });
            } else {
              campaigns.push((await pastCampaign(t, { nameEn: `HR campaign ${campaigns.length}`, nameKm: 'យុទ្ធនាការ', startDate, endDate, pillars: ['harm_reduction'] })).id);
            }
          }
        }
        const v = await verify();
        if (process.env.HR_DEBUG) console.log(JSON.stringify(ops.map((o) => o.kind)), (await snapshot()).hr_period_counts.length, JSON.stringify(v));
        expect(v, JSON.stringify(v)).toMatchObject({ ok: true });
        // what this process kept from earlier runs (sums and decisions, by period version) answers as deciding afresh
        await expectKeptAsFresh();
      }),
      { numRuns: Number(process.env.HR_PROPERTY_RUNS ?? 12), seed: Number(process.env.HR_PROPERTY_SEED ?? 20261202) },
    );
    // the maintained rows are exactly a rebuild's
    const kept = await snapshot();
    await t.db.transaction().execute((trx) => rebuildHarmReduction(trx));
    expect(await snapshot()).toEqual(kept);
    expect(kept.hr_period_counts.length).toBeGreaterThan(10);
  }, 600_000);

  it('the count source answers the sums of the counters, whether the release tells it everything first (one GROUPING SETS query) or asks one count at a time', async () => {
    // the data the property above left: many clients, periods and campaigns
    const days = (await sql<{ d: string }>`select distinct day::text as d from hr_client_days order by 1`.execute(t.db)).rows.map((r) => r.d);
    expect(days.length).toBeGreaterThan(5);
    const periods = new Map<string, Period[]>();
    for (const type of ['iso_week', 'month', 'quarter', 'year'] as const) {
      const ps = new Map(days.map((d) => periodContaining(type, d)).map((p) => [p.key, p]));
      periods.set(type, [...ps.values()]);
    }
    const cs = await t.db.selectFrom('campaigns').select(['id', 'start_date', 'end_date']).execute();
    expect(cs.length).toBeGreaterThan(0);
    for (const c of cs) periods.set(`to_date:${c.id}`, [campaignToDatePeriod({ id: c.id, startDate: c.start_date, endDate: c.end_date }, todayInCambodia())]);
    const bys = [[], ['province'], ['sex'], ['age'], ['provider'], ['province', 'sex'], ['age', 'province'], ['provider', 'sex']];
    const measures = ['hr_clients_reached', 'hr_new_clients', 'hr_returning_clients', 'hr_regular_access'];
    const asks = [...periods.values()].flatMap((ps) => measures.flatMap((measure) => bys.map((by) => ({ measure, periods: ps, by }))));
    const sorted = (rows: { period: string; values: readonly string[]; n: number }[]) => rows.map((r) => `${r.period}|${r.values.join(',')}|${r.n}`).sort();
    const plain = new HarmReductionCountSource(t.db);
    const told = new HarmReductionCountSource(t.db);
    await told.prefetch(asks);
    // the counters summed here, for the calendar periods (their stored key is their own; campaign to date also
    // takes away the clients first reached after it, which the comparison of the two ways covers)
    const counters = (await sql<{ period: string; province: string; provider: string; sex: string; age: string; reached: number; fresh: number; regular: number }>`
      select c.period, o.province_code as province, o.kind as provider, c.sex, c.age_band as age, c.reached, c.new_clients as fresh, c.regular
        from hr_period_counts c join organisations o on o.id = c.organisation_id`.execute(t.db)).rows;
    const VALUE: Record<string, (r: (typeof counters)[number]) => number> = {
      hr_clients_reached: (r) => r.reached,
      hr_new_clients: (r) => r.fresh,
      hr_returning_clients: (r) => r.reached - r.fresh,
      hr_regular_access: (r) => r.regular,
    };
    const summed = (a: (typeof asks)[number]) => {
      const keys = new Set(a.periods.map((p) => p.key));
      const out = new Map<string, { period: string; values: string[]; n: number }>();
      for (const r of counters) {
        if (!keys.has(r.period)) continue;
        const values = a.by.map((d) => String(r[d as 'province']));
        const k = `${r.period}|${values.join(',')}`;
        const e = out.get(k) ?? { period: r.period, values, n: 0 };
        e.n += VALUE[a.measure](r);
        out.set(k, e);
      }
      return [...out.values()].filter((e) => e.n !== 0);
    };
    let nonZero = 0;
    for (const a of asks) {
      const [x, y] = await Promise.all([plain.counts(a.measure, a.periods, a.by), told.counts(a.measure, a.periods, a.by)]);
      const what = `${a.measure} ${a.periods[0].key} by ${a.by.join(',')}`;
      expect(sorted(y), what).toEqual(sorted(x));
      if (a.periods[0].type !== 'campaign_to_date') expect(sorted(y), what).toEqual(sorted(summed(a)));
      nonZero += x.length;
    }
    expect(nonZero).toBeGreaterThan(100);
  });

  it('tampering one summary row makes verify fail and name the table', async () => {
    expect((await verify()).ok).toBe(true);
    await sql`update hr_period_counts set reached = reached + 1 where period = (select min(period) from hr_period_counts)`.execute(t.db);
    const v = await verify();
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.difference).toMatch(/^hr_period_counts: /);
    await t.db.transaction().execute((trx) => rebuildHarmReduction(trx));
    await sql`update hr_contacts_daily set referrals_completed = referrals_completed + 1 where day = (select min(day) from hr_contacts_daily)`.execute(t.db);
    const w = await verify();
    expect(w.ok).toBe(false);
    if (!w.ok) expect(w.difference).toMatch(/^hr_contacts_daily: /);
    await t.db.transaction().execute((trx) => rebuildHarmReduction(trx));
    expect((await verify()).ok).toBe(true);
    await sql`update hr_period_margins set regular = regular + 1 where dim = 'sex' and period = (select min(period) from hr_period_margins)`.execute(t.db);
    const m = await verify();
    expect(m.ok).toBe(false);
    if (!m.ok) expect(m.difference).toMatch(/^hr_period_margins: /);
    await t.db.transaction().execute((trx) => rebuildHarmReduction(trx));
    expect((await verify()).ok).toBe(true);
  });

  it('the margins follow an organisation moved to another province or of another kind, and answer what the counters sum to', async () => {
    const other = await t.org('health', 'ngo', 'Margins NGO', 'KH-21');
    const w2 = await t.user('outreach_worker', other);
    const d2 = await registerDevice(w2);
    const recs = [0, 1, 2].map((i) => clientRecord({ sex: i ? 'male' : 'female', birthYear: 1990 + i, firstContactOn: BASE }));
    await pushOk(w2, d2, [...recs, ...recs.map((r, i) => contactRecord(r.id, { at: `${addDays(BASE, i * 3)}T09:00:00+07:00` }))]);
    const month = periodContaining('month', BASE);
    const byProvince = async () => {
      const rows = await new HarmReductionCountSource(t.db).counts('hr_clients_reached', [month], ['province']);
      return Object.fromEntries(rows.map((r) => [r.values[0], r.n]));
    };
    const summed = async (dim: 'province_code' | 'kind') =>
      Object.fromEntries(
        (await sql<{ v: string; n: number }>`select o.${sql.ref(dim)} as v, sum(c.reached)::int as n from hr_period_counts c join organisations o on o.id = c.organisation_id
          where c.period = ${month.key} group by 1`.execute(t.db)).rows.map((r) => [r.v, Number(r.n)]),
      );
    expect((await byProvince())['KH-21']).toBe(3);
    expect(await byProvince()).toEqual(await summed('province_code'));
    const moved = await t.admin.patch(`/api/organisations/${other}`, { provinceCode: 'KH-22' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await verify()).ok).toBe(true);
    const after = await byProvince();
    expect(after['KH-21']).toBeUndefined();
    expect(after['KH-22']).toBe(3);
    expect(after).toEqual(await summed('province_code'));
    // a kind is not changed through the API; the database keeps the margins right if it is changed anyway
    await sql`update organisations set kind = 'health_centre' where id = ${other}`.execute(t.db);
    expect((await verify()).ok).toBe(true);
    const providers = await new HarmReductionCountSource(t.db).counts('hr_clients_reached', [month], ['provider']);
    expect(Object.fromEntries(providers.map((r) => [r.values[0], r.n]))).toEqual(await summed('kind'));
    expect(providers.find((r) => r.values[0] === 'health_centre')?.n).toBe(3);
  });
});

// ------------------------------------------------------------------------------------------------ old = new

/** The facts the old store selected, loaded here in the test only: the reference the summaries must equal. */
async function oldFacts(organisationId: string): Promise<ContactFact[]> {
  const rows = await t.db
    .selectFrom('outreach_contacts as c')
    .leftJoin('outreach_clients as cl', (j) => j.onRef('cl.organisation_id', '=', 'c.organisation_id').onRef('cl.id', '=', 'c.client_id'))
    .leftJoin('hotspots as h', (j) => j.onRef('h.organisation_id', '=', 'c.organisation_id').onRef('h.id', '=', 'c.hotspot_id'))
    .select(['c.id', 'c.at', 'c.client_id', 'c.setting', 'c.needles_total', 'c.syringes_total', 'c.returned', 'c.hiv_test', 'cl.sex', 'cl.birth_year', 'cl.first_contact_on', 'h.code'])
    .where('c.organisation_id', '=', organisationId)
    .execute();
  const refs = await t.db.selectFrom('outreach_referrals').select(['contact_id', 'outcome']).where('organisation_id', '=', organisationId).execute();
  return rows.map((r) => ({
    on: todayInCambodia(new Date(r.at)),
    clientId: r.client_id,
    setting: r.setting,
    hotspotCode: r.code ?? null,
    sex: r.sex ?? null,
    birthYear: r.birth_year ?? null,
    firstContactOn: r.first_contact_on ?? null,
    needles: r.needles_total,
    syringes: r.syringes_total,
    returned: r.returned,
    hivTested: r.hiv_test !== 'not_done',
    hivPositive: r.hiv_test === 'positive',
    referralsMade: refs.filter((x) => x.contact_id === r.id).length,
    referralsCompleted: refs.filter((x) => x.contact_id === r.id && x.outcome === 'completed').length,
  }));
}

describe('the organisation\'s indicators from the summaries', () => {
  it('equal the old computation over the contacts, for every grouping and several ranges', async () => {
    const o = await t.org('health', 'ngo', 'Same figures NGO');
    const w = await t.user('outreach_worker', o);
    const m = await t.user('programme_manager', o);
    const d = await registerDevice(w);
    const h = await m.post('/api/outreach/hotspots', { code: 'SF1', districtCode: '1201' });
    const hotspot = h.json().id;
    // the fixtures of test/outreach-sync.test.ts and more: first contacts on the client's firstContactOn
    const recs: unknown[] = [];
    const days = ['2024-02-27', '2024-03-01', '2024-03-08', '2024-03-08', '2024-03-15', '2024-03-29', '2024-04-02', '2024-12-30', '2025-01-02'];
    for (let i = 0; i < 12; i++) {
      const first = days[i % days.length];
      const c = clientRecord({ sex: ['female', 'male', 'other'][i % 3], birthYear: i % 4 === 0 ? null : 1990 + i * 2, firstContactOn: first });
      recs.push(c);
      for (let k = 0; k < 1 + (i % 4); k++) {
        const day = days[(i + k * 2) % days.length] < first ? first : days[(i + k * 2) % days.length];
        const at = k === 0 ? `${first}T08:00:00+07:00` : `${day}T${k % 2 ? '23:30:00+00:00' : '10:00:00+07:00'}`;
        const setting = k % 3 === 1 ? { setting: 'hotspot', hotspotId: hotspot } : { setting: k % 3 ? 'mobile' : 'drop_in', hotspotId: null };
        recs.push(contactRecord(c.id, { at, ...setting, hivTest: k % 2 ? 'positive' : 'negative', referrals: [{ id: randomUUID(), target: 'art', outcome: k % 2 ? 'completed' : 'pending', outcomeOn: null }] }));
      }
    }
    recs.push(contactRecord(null, { at: '2024-03-08T09:00:00+07:00' }), contactRecord(null, { at: '2024-12-31T20:00:00+00:00', setting: 'mobile' }));
    await pushOk(w, d, recs);
    const facts = await oldFacts(o);
    for (const [from, to] of [
      ['2024-03-01', '2024-03-31'],
      ['2024-02-01', '2024-04-30'],
      ['2024-03-08', '2024-03-08'],
      ['2024-06-01', '2025-01-31'],
    ]) {
      for (const by of INDICATOR_GROUPS) {
        const res = await m.get(`/api/outreach/indicators?from=${from}&to=${to}&by=${by}`);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json(), `${from}…${to} by ${by}`).toEqual(JSON.parse(JSON.stringify(harmReductionIndicators(facts, { from, to }, by))));
      }
    }
    // at most a year, the error names the field
    const long = await m.get('/api/outreach/indicators?from=2024-01-01&to=2025-06-30');
    expect(long.statusCode).toBe(400);
    expect(long.json().error.fields[0].path).toBe('query.from');
  });
});

// ------------------------------------------------------------------------------------------------ national

const isPublished = (v: Shown) => typeof v === 'number' ? v === 0 || v >= 5 : v === '<5' || v === '*';

describe('national aggregates: fixed periods only', () => {
  let analyst: Client;
  beforeAll(async () => {
    analyst = await t.user('analyst', await t.org('oversight', 'national_committee', 'HR committee'));
  });

  it('the issue\'s attack: a single new female client in KH-3 cannot be recovered by differencing', async () => {
    // 40 clients reached in KH-3 in November, then one new female client on 28 November
    const o = await t.org('health', 'ngo', 'Attack NGO', 'KH-3');
    const w = await t.user('outreach_worker', o);
    const d = await registerDevice(w);
    const recs: unknown[] = [];
    for (let i = 0; i < 40; i++) {
      const c = clientRecord({ sex: i % 3 ? 'female' : 'male', firstContactOn: '2024-11-02' });
      recs.push(c, contactRecord(c.id, { at: `2024-11-${String(2 + (i % 20)).padStart(2, '0')}T10:00:00+07:00` }));
    }
    const one = clientRecord({ sex: 'female', firstContactOn: '2024-11-28' });
    recs.push(one, contactRecord(one.id, { at: '2024-11-28T10:00:00+07:00' }));
    await pushOk(w, d, recs);

    // the old way in: two overlapping ranges → refused, naming the field
    for (const q of ['from=2024-10-03&to=2024-11-28', 'to=2024-11-27', 'from=2024-11-01']) {
      const r = await analyst.get(`/api/outreach/aggregates?${q}&by=province&split=sex`);
      expect(r.statusCode).toBe(400);
      expect(r.json().error.fields.map((f: { path: string }) => f.path)[0]).toMatch(/^query\.(from|to)$/);
    }
    // the day itself is never released: a 400 naming query.period, in any table
    for (const by of ['province', 'time']) {
      const r = await analyst.get(`/api/outreach/aggregates?period=2024-11-28&by=${by}&split=sex`);
      expect(r.statusCode).toBe(400);
      expect(r.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['query.period']);
    }
    // every released period holding 28 November: what a reader learns of KH-3's new female clients (the week has
    // no province × sex cells: its KH-3 row, all sexes, is what it tells of them)
    const specs = ['2024-W48', '2024-11', '2024-Q4', '2024'];
    const seen: { spec: string; v: Shown }[] = [];
    for (const spec of specs) {
      for (const by of ['province', 'time']) {
        const r = await analyst.get(`/api/outreach/aggregates?period=${spec}&by=${by}&split=sex`);
        expect(r.statusCode, r.body).toBe(200);
        const body = r.json();
        for (const table of [body.clientsReached, body.newClients, body.returningClients]) {
          for (const row of table.cells) for (const v of row) expect(isPublished(v)).toBe(true);
          for (const v of [...table.rowTotals, ...table.columnTotals, table.total]) expect(isPublished(v)).toBe(true);
        }
        if (by === 'province') {
          const i = body.rowKeys.indexOf('KH-3');
          if (spec === '2024-W48') {
            // a week: margins only
            for (const table of [body.clientsReached, body.newClients, body.returningClients]) {
              expect(table.crossed).toBe(false);
              expect(table.cells.every((row: unknown[]) => row.length === 0)).toBe(true);
            }
            seen.push({ spec, v: body.newClients.rowTotals[i] });
          } else {
            expect(body.newClients.crossed).toBe(true);
            seen.push({ spec, v: body.newClients.cells[i][body.columnKeys.indexOf('female')] });
          }
        }
      }
    }
    // the week's one new client of KH-3 is "<5", never exact, and no difference of two published figures pins the
    // 1 to one value
    expect(seen[0].v).toBe('<5');
    for (const a of seen)
      for (const b of seen) {
        const [alo, ahi] = bounds(a.v);
        const [blo, bhi] = bounds(b.v);
        if (ahi === Infinity || bhi === Infinity) continue;
        const lo = Math.max(0, blo - ahi);
        const hi = bhi - alo;
        // b ⊇ a (the order of `specs` nests, except the ISO week): a difference pins nothing
        if (hi >= lo) expect(hi > lo, `${b.spec} − ${a.spec}`).toBe(true);
      }
  });

  it('time lines, campaign weeks of any weekday, campaign to date; bad periods are 400s naming the field', async () => {
    const o = await t.org('health', 'ngo', 'Campaign NGO', 'KH-5');
    const w = await t.user('outreach_worker', o);
    const d = await registerDevice(w);
    // a campaign starting on a Thursday: its weeks are not ISO weeks
    const { id } = await pastCampaign(t, { nameEn: 'Thursday campaign', nameKm: 'យុទ្ធនាការ', startDate: '2024-10-03', pillars: ['harm_reduction'] });
    const recs: unknown[] = [];
    for (let i = 0; i < 30; i++) {
      const c = clientRecord({ sex: i % 2 ? 'female' : 'male', birthYear: 1985 + i, firstContactOn: '2024-10-03' });
      // everyone on 3 October (day 1, week 1), half again on 10 October (day 8, week 2)
      recs.push(c, contactRecord(c.id, { at: '2024-10-03T09:00:00+07:00' }));
      if (i % 2) recs.push(contactRecord(c.id, { at: '2024-10-10T09:00:00+07:00' }));
    }
    await pushOk(w, d, recs);
    const get = async (q: string) => {
      const r = await analyst.get(`/api/outreach/aggregates?${q}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    const row = (body: { rowKeys: string[] }, key: string) => body.rowKeys.indexOf(key);
    const w1 = await get(`period=week:1&campaignId=${id}&by=province`);
    expect(w1.period).toMatchObject({ type: 'campaign_week', from: '2024-10-03', to: '2024-10-09' });
    expect(w1.clientsReached.rowTotals[row(w1, 'KH-5')]).toBe(30);
    expect(w1.newClients.rowTotals[row(w1, 'KH-5')]).toBe(30);
    expect(w1.contacts[row(w1, 'KH-5')]).toBe(30);
    const w2 = await get(`period=week:2&campaignId=${id}&by=time&split=age`);
    // a campaign week is its own single row (its days are never released), each age band one dimension a cell
    expect(w2.rowKeys).toEqual(['week:2']);
    expect(w2.clientsReached.rowTotals).toEqual([15]);
    expect(w2.clientsReached.cells[0]).toHaveLength(w2.clientsReached.columns.length);
    // a campaign day is a 400 naming query.period; a campaign week's province table has margins only
    const day8 = await analyst.get(`/api/outreach/aggregates?period=day:8&campaignId=${id}&by=time`);
    expect(day8.statusCode).toBe(400);
    expect(day8.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['query.period']);
    const w1sex = await get(`period=week:1&campaignId=${id}&by=province&split=sex`);
    expect(w1sex.clientsReached.crossed).toBe(false);
    expect(w1sex.clientsReached.cells.every((r: unknown[]) => r.length === 0)).toBe(true);
    expect(w1sex.clientsReached.columnTotals).toEqual(w1sex.clientsReached.columns.map((s: string) => (s === 'female' || s === 'male' ? 15 : 0)));
    const toDate = await get(`period=to_date&campaignId=${id}&by=province`);
    expect(toDate.clientsReached.rowTotals[row(toDate, 'KH-5')]).toBe(30);
    expect(toDate.returningClients.rowTotals[row(toDate, 'KH-5')]).toBe(0);
    const wk2 = await get(`period=week:2&campaignId=${id}&by=province`);
    expect(wk2.clientsReached.rowTotals[row(wk2, 'KH-5')]).toBe(15);
    expect(wk2.returningClients.rowTotals[row(wk2, 'KH-5')]).toBe(15);
    // moving the campaign to a Saturday start fills that alignment and its "to date" again
    await movePastCampaign(t, id, { startDate: '2024-10-05' });
    const moved = await get(`period=week:1&campaignId=${id}&by=province`);
    expect(moved.period).toMatchObject({ from: '2024-10-05', to: '2024-10-11' });
    expect(moved.clientsReached.rowTotals[row(moved, 'KH-5')]).toBe(15);
    const movedToDate = await get(`period=to_date&campaignId=${id}&by=province`);
    expect(movedToDate.clientsReached.rowTotals[row(movedToDate, 'KH-5')]).toBe(15);
    expect((await verify()).ok).toBe(true);
    // a year's time line is its quarters
    const y = await get('period=2024&by=time&split=sex');
    const enforcementOnly = await pastCampaign(t, { nameEn: 'Enforcement campaign', nameKm: 'យុទ្ធនាការ', startDate: '2024-10-03', pillars: ['enforcement'] });
    expect(y.rowKeys).toEqual(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
    for (const [q, path] of [
      ['period=2024-13', 'query.period'],
      ['period=0001', 'query.period'],
      ['period=9999-12-31', 'query.period'],
      ['period=week:1', 'query.campaignId'],
      [`period=week:1&campaignId=${randomUUID()}`, 'query.campaignId'],
      // a campaign without a health pillar: never the grid of a health figure
      [`period=to_date&campaignId=${enforcementOnly.id}`, 'query.campaignId'],
      [`period=week:1&campaignId=${enforcementOnly.id}`, 'query.campaignId'],
      // days are never released
      ['period=2024-10-03', 'query.period'],
      [`period=day:1&campaignId=${id}`, 'query.period'],
      ['period=2024&by=district', 'query.by'],
    ]) {
      const r = await analyst.get(`/api/outreach/aggregates?${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.json().error.fields[0].path, q).toBe(path);
    }
  });

  it('campaign to date of a running campaign counts the clients of its complete weeks only, not those of the week still running', async () => {
    const o = await t.org('health', 'ngo', 'Running campaign NGO', 'KH-6');
    const w = await t.user('outreach_worker', o);
    const d = await registerDevice(w);
    const today = todayInCambodia();
    // today is day 18 (week 3, running): "to date" is weeks 1 and 2
    const start = addDays(today, -17);
    const { id } = await pastCampaign(t, { nameEn: 'Running campaign', nameKm: 'យុទ្ធនាការ', startDate: start, pillars: ['harm_reduction'] });
    const recs: unknown[] = [];
    const at = (day: string) => `${day}T09:00:00+07:00`;
    for (let i = 0; i < 10; i++) {
      // ten clients in week 1, five of them seen again today
      const c = clientRecord({ sex: 'female', birthYear: 1990, firstContactOn: addDays(start, 2) });
      recs.push(c, contactRecord(c.id, { at: at(addDays(start, 2)) }));
      if (i % 2) recs.push(contactRecord(c.id, { at: at(today) }));
    }
    for (let i = 0; i < 15; i++) {
      // fifteen clients first seen in week 3, which is not over
      const c = clientRecord({ sex: 'male', birthYear: 1991, firstContactOn: addDays(today, -1) });
      recs.push(c, contactRecord(c.id, { at: at(addDays(today, -1)) }));
      if (i % 2) recs.push(contactRecord(c.id, { at: at(today) }));
    }
    await pushOk(w, d, recs);
    const r = await analyst.get(`/api/outreach/aggregates?period=to_date&campaignId=${id}&by=province&split=sex`);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.period).toMatchObject({ type: 'campaign_to_date', from: start, to: addDays(start, 13) });
    const kh6 = body.rowKeys.indexOf('KH-6');
    const sexes: string[] = body.clientsReached.columns;
    expect(body.clientsReached.rowTotals[kh6]).toBe(10);
    // campaign to date has no province × sex cells: the fifteen men of week 3 are in no margin either
    expect(body.clientsReached.crossed).toBe(false);
    expect(body.clientsReached.cells[kh6]).toEqual([]);
    expect(body.clientsReached.columnTotals[sexes.indexOf('male')]).toBe(0);
    expect(body.clientsReached.columnTotals[sexes.indexOf('female')]).toBe(10);
    expect(body.newClients.rowTotals[kh6]).toBe(10);
    // once the campaign has ended, its last "to date" runs through the end date and counts everyone
    await movePastCampaign(t, id, { endDate: addDays(today, -1) });
    const ended = (await analyst.get(`/api/outreach/aggregates?period=to_date&campaignId=${id}&by=province&split=sex`)).json();
    expect(ended.period).toMatchObject({ from: start, to: addDays(today, -1) });
    expect(ended.clientsReached.rowTotals[ended.rowKeys.indexOf('KH-6')]).toBe(25);
    expect((await verify()).ok).toBe(true);
  });

  it('a closed week already asked (its figures kept by the server) answers a record saved for it in the next request, and an organisation moved', async () => {
    const o = await t.org('health', 'ngo', 'Late data NGO', 'KH-8');
    const w = await t.user('outreach_worker', o);
    const d = await registerDevice(w);
    const at = (day: string) => `${day}T09:00:00+07:00`;
    const push = async (n: number, day: string) => {
      const recs: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const c = clientRecord({ sex: 'female', birthYear: 1990, firstContactOn: day });
        recs.push(c, contactRecord(c.id, { at: at(day) }));
      }
      await pushOk(w, d, recs);
    };
    await push(10, '2023-05-10'); // ISO week 2023-W19 and May 2023: nobody else counted there
    const ask = async (period: string, by: string) => {
      const r = await analyst.get(`/api/outreach/aggregates?period=${period}&by=${by}&split=sex`);
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      return { body, row: (k: string) => body.clientsReached.rowTotals[body.rowKeys.indexOf(k)] as Shown };
    };
    for (let i = 0; i < 2; i++) {
      expect((await ask('2023-W19', 'province')).row('KH-8')).toBe(10);
      expect((await ask('2023-W19', 'time')).body.clientsReached.total).toBe(10);
      expect((await ask('2023-05', 'province')).row('KH-8')).toBe(10);
    }
    // late data for that closed week: the next answer has it
    await push(10, '2023-05-11');
    expect((await ask('2023-W19', 'province')).row('KH-8')).toBe(20);
    expect((await ask('2023-W19', 'time')).body.clientsReached.total).toBe(20);
    expect((await ask('2023-05', 'province')).row('KH-8')).toBe(20);
    // the organisation moves: its people move with it in the next answer
    expect((await t.admin.patch(`/api/organisations/${o}`, { provinceCode: 'KH-9' })).statusCode).toBe(200);
    const moved = await ask('2023-W19', 'province');
    expect(moved.row('KH-8')).toBe(0);
    expect(moved.row('KH-9')).toBe(20);
    const month = await ask('2023-05', 'province');
    expect(month.row('KH-9')).toBe(20);
    expect(month.body.clientsReached.cells[month.body.rowKeys.indexOf('KH-9')][month.body.columnKeys.indexOf('female')]).toBe(20);
  });
});
