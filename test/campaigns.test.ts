/**
 * Fixed dates for health campaigns (src/core/campaigns.ts, enforced in src/server/campaigns/service.ts) through the
 * real server: a campaign with a treatment, harm-reduction or education pillar starts today or later, keeps its start
 * once started, lasts whole campaign weeks, gets no end before today and keeps its end once ended, overlaps no other
 * health campaign, and once started keeps a health pillar; gaining a health pillar is checked as a creation. Each
 * refusal is a 400 naming the field and writes nothing (no row change, no audit entry). Enforcement-only campaigns
 * keep any dates within bounds. The trusted `backdated` path (seeds, fixtures) is not reachable over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import { movePastCampaign, pastCampaign } from './campaign-helpers.js';
import { addDays, todayInCambodia } from '../src/core/dates.js';

let t: TestApp;
let analyst: Client;
const today = todayInCambodia();
/** Week n from today: each test keeps to its own weeks, so that the overlap rule meets only what the test means. */
const wk = (n: number, plus = 0) => addDays(today, 7 * n + plus);
let counter = 0;
let parked = 0;

const body = (over: Record<string, unknown> = {}) => ({ nameEn: `Campaign ${++counter}`, nameKm: 'យុទ្ធនាការ', startDate: today, pillars: ['harm_reduction'], ...over });

const auditCount = async () => Number((await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const rows = () => t.db.selectFrom('campaigns').selectAll().orderBy('id').execute();

/** The response is a 400 whose fields name `field` with a message matching `re`; the database is as it was. */
async function refused(write: () => Promise<LightMyRequestResponse>, field: string, re: RegExp) {
  const [beforeRows, beforeAudit] = [await rows(), await auditCount()];
  const res = await write();
  expect(res.statusCode, res.body).toBe(400);
  const err = res.json().error;
  expect(err.code).toBe('invalid_input');
  const f = (err.fields as { path: string; message: string }[]).find((x) => x.path === field);
  expect(f, res.body).toBeDefined();
  expect(f!.message).toMatch(re);
  expect(err.message).toContain(`${field}: ${f!.message}`);
  expect(await rows()).toEqual(beforeRows);
  expect(await auditCount()).toBe(beforeAudit);
  return err;
}

async function created(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; nameEn: string; startDate: string; endDate: string | null; pillars: string[] };
}

async function ok(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Move a campaign out of the way (one week of 2001, each its own) through the trusted path. */
async function park(id: string) {
  const start = addDays('2001-01-01', 7 * parked++);
  await movePastCampaign(t, id, { startDate: start, endDate: addDays(start, 6) });
}

const NOT_BEFORE_TODAY = new RegExp(`^must be today \\(${today}\\) or later for a health campaign$`);

beforeAll(async () => {
  t = await startTestApp();
  analyst = await t.user('analyst', await t.org('oversight', 'national_committee', 'Campaign rules committee'));
});
afterAll(() => t.close());

describe('creating a health campaign', () => {
  it('a start before today is a 400 on startDate, for every health pillar; today is fine', async () => {
    for (const p of ['treatment', 'harm_reduction', 'education']) {
      await refused(() => t.admin.post('/api/campaigns', body({ startDate: addDays(today, -1), pillars: ['enforcement', p] })), 'startDate', NOT_BEFORE_TODAY);
    }
    await refused(() => analyst.post('/api/campaigns', body({ startDate: '2024-01-01', pillars: ['education'] })), 'startDate', NOT_BEFORE_TODAY);
    const n = await auditCount();
    const c = await created(await t.admin.post('/api/campaigns', body({ startDate: today, endDate: addDays(today, 6) })));
    expect(await auditCount()).toBe(n + 1);
    await park(c.id);
  });

  it('an end that is not a whole campaign week is a 400 on endDate naming the nearest valid ends', async () => {
    const s = wk(3);
    const dow = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
    const err = await refused(() => t.admin.post('/api/campaigns', body({ startDate: s, endDate: addDays(s, 9) })), 'endDate', /^must end a whole campaign week/);
    expect(err.fields[0].message).toBe(`must end a whole campaign week (a campaign starting on a ${dow(s)} ends on a ${dow(addDays(s, 6))}: ${addDays(s, 6)} or ${addDays(s, 13)})`);
    await refused(() => t.admin.post('/api/campaigns', body({ startDate: s, endDate: s })), 'endDate', new RegExp(`: ${addDays(s, 6)}\\)$`));
    const c = await created(await t.admin.post('/api/campaigns', body({ startDate: s, endDate: addDays(s, 13) })));
    expect(c).toMatchObject({ startDate: s, endDate: addDays(s, 13) });
    await park(c.id);
  });

  it('overlapping another health campaign is a 400 on startDate, or on endDate when the end reaches it', async () => {
    const other = await created(await t.admin.post('/api/campaigns', body({ nameEn: 'Monsoon outreach', startDate: wk(6), endDate: wk(7, 6), pillars: ['education'] })));
    const names = `^overlaps the health campaign Monsoon outreach \\(${wk(6)} – ${wk(7, 6)}\\)$`;
    await refused(() => t.admin.post('/api/campaigns', body({ startDate: wk(7), endDate: wk(8, 6) })), 'startDate', new RegExp(names));
    await refused(() => t.admin.post('/api/campaigns', body({ startDate: wk(6), endDate: wk(6, 6) })), 'startDate', new RegExp(names));
    await refused(() => t.admin.post('/api/campaigns', body({ startDate: wk(5), endDate: wk(6, 6) })), 'endDate', new RegExp(names));
    await refused(() => t.admin.post('/api/campaigns', body({ startDate: wk(5) })), 'endDate', new RegExp(names));
    // just before and just after are fine
    const before = await created(await t.admin.post('/api/campaigns', body({ startDate: wk(5), endDate: wk(5, 6) })));
    const after = await created(await t.admin.post('/api/campaigns', body({ startDate: wk(8), endDate: wk(8, 6), pillars: ['treatment'] })));
    // an open-ended one is named as open
    const open = await created(await t.admin.post('/api/campaigns', body({ nameEn: 'Open outreach', startDate: wk(40) })));
    await refused(() => t.admin.post('/api/campaigns', body({ startDate: wk(45), endDate: wk(45, 6) })), 'startDate', new RegExp(`^overlaps the health campaign Open outreach \\(${wk(40)} – open\\)$`));
    // an enforcement-only campaign may overlap anything
    await created(await t.admin.post('/api/campaigns', body({ startDate: wk(6), endDate: wk(6, 2), pillars: ['enforcement'] })));
    for (const c of [other, before, after, open]) await park(c.id);
  });

  it('two overlapping creations at once: one is saved, the other refused', async () => {
    const [a, b] = await Promise.all([
      t.admin.post('/api/campaigns', body({ startDate: wk(10), endDate: wk(10, 6) })),
      analyst.post('/api/campaigns', body({ startDate: wk(10, 1), endDate: wk(11) })),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 400]);
    const saved = (await rows()).filter((r) => r.start_date >= wk(10) && r.start_date <= wk(11));
    expect(saved).toHaveLength(1);
    await park(saved[0].id);
  });
});

describe('enforcement-only campaigns keep any dates within bounds', () => {
  it('a past start, part weeks, moved start and end over past days', async () => {
    const c = await created(await t.admin.post('/api/campaigns', body({ startDate: '2024-01-03', endDate: '2024-01-05', pillars: ['enforcement'] })));
    await ok(await t.admin.patch(`/api/campaigns/${c.id}`, { startDate: '2023-05-05', endDate: '2023-05-07' }));
    await ok(await analyst.patch(`/api/campaigns/${c.id}`, { endDate: null }));
    const open = await created(await t.admin.post('/api/campaigns', body({ startDate: addDays(today, -30), pillars: ['enforcement'] })));
    await ok(await t.admin.patch(`/api/campaigns/${open.id}`, { startDate: addDays(today, -40), endDate: addDays(today, -2) }));
  });
});

describe('updating a health campaign', () => {
  it('once started its start cannot change; its end is whole weeks, not before today; it keeps a health pillar', async () => {
    const c = await pastCampaign(t, body({ startDate: addDays(today, -10), endDate: addDays(today, 24), pillars: ['enforcement', 'treatment'] }));
    const url = `/api/campaigns/${c.id}`;
    for (const startDate of [addDays(today, -11), addDays(today, -9), today, addDays(today, 1)]) {
      await refused(() => t.admin.patch(url, { startDate }), 'startDate', /^cannot change once the campaign has started$/);
    }
    // the form sends every field: the same start is no change
    const renamed = await ok(await t.admin.patch(url, { ...body({ nameEn: 'Renamed campaign' }), startDate: c.startDate, endDate: c.endDate, pillars: c.pillars }));
    expect(renamed).toMatchObject({ nameEn: 'Renamed campaign', startDate: c.startDate, endDate: c.endDate });
    await refused(() => t.admin.patch(url, { endDate: addDays(today, -1) }), 'endDate', NOT_BEFORE_TODAY);
    await refused(() => t.admin.patch(url, { endDate: addDays(today, 4) }), 'endDate', /^must end a whole campaign week .*: (\d{4}-\d\d-\d\d or )?\d{4}-\d\d-\d\d\)$/);
    await refused(() => t.admin.patch(url, { pillars: ['enforcement'] }), 'pillars', /^must keep a health pillar/);
    expect(await ok(await t.admin.patch(url, { endDate: addDays(today, 3) }))).toMatchObject({ endDate: addDays(today, 3) });
    expect(await ok(await t.admin.patch(url, { pillars: ['education'] }))).toMatchObject({ pillars: ['education'] });
    expect(await ok(await t.admin.patch(url, { endDate: null }))).toMatchObject({ endDate: null });
    await park(c.id);
  });

  it('before it has started, a new start is today or later, and the weeks stay whole', async () => {
    const c = await created(await t.admin.post('/api/campaigns', body({ startDate: wk(13), endDate: wk(13, 6) })));
    const url = `/api/campaigns/${c.id}`;
    await refused(() => t.admin.patch(url, { startDate: addDays(today, -1) }), 'startDate', NOT_BEFORE_TODAY);
    await refused(() => t.admin.patch(url, { startDate: wk(13, 1) }), 'endDate', /^must end a whole campaign week/);
    expect(await ok(await t.admin.patch(url, { startDate: wk(14), endDate: wk(15, 6) }))).toMatchObject({ startDate: wk(14), endDate: wk(15, 6) });
    // not started yet: it may drop its health pillars, and gaining one again is checked like a creation
    expect(await ok(await t.admin.patch(url, { pillars: ['enforcement'] }))).toMatchObject({ pillars: ['enforcement'] });
    await ok(await t.admin.patch(url, { endDate: wk(14, 2) }));
    await refused(() => t.admin.patch(url, { pillars: ['enforcement', 'education'] }), 'endDate', /^must end a whole campaign week/);
    expect(await ok(await t.admin.patch(url, { pillars: ['enforcement', 'education'], endDate: wk(14, 6) }))).toMatchObject({ pillars: ['enforcement', 'education'] });
  });

  it('once ended its end cannot change; other fields can', async () => {
    const c = await pastCampaign(t, body({ startDate: addDays(today, -20), endDate: addDays(today, -7), pillars: ['education'] }));
    const url = `/api/campaigns/${c.id}`;
    for (const endDate of [addDays(today, -6), addDays(today, 7), null]) await refused(() => t.admin.patch(url, { endDate }), 'endDate', /^cannot change once the campaign has ended$/);
    expect(await ok(await t.admin.patch(url, { nameEn: 'Ended campaign, renamed', endDate: c.endDate }))).toMatchObject({ nameEn: 'Ended campaign, renamed', endDate: c.endDate });
  });

  it('moving it onto another health campaign is a 400 naming that one', async () => {
    const a = await created(await t.admin.post('/api/campaigns', body({ nameEn: 'Campaign A', startDate: wk(17), endDate: wk(17, 6) })));
    const b = await created(await t.admin.post('/api/campaigns', body({ nameEn: 'Campaign B', startDate: wk(19), endDate: wk(19, 6), pillars: ['treatment'] })));
    await refused(() => t.admin.patch(`/api/campaigns/${a.id}`, { endDate: wk(19, 6) }), 'endDate', new RegExp(`^overlaps the health campaign Campaign B \\(${wk(19)} – ${wk(19, 6)}\\)$`));
    await refused(() => t.admin.patch(`/api/campaigns/${a.id}`, { endDate: null }), 'endDate', /^overlaps the health campaign Campaign B/);
    await refused(() => t.admin.patch(`/api/campaigns/${b.id}`, { startDate: wk(17, 3), endDate: wk(18, 2) }), 'startDate', /^overlaps the health campaign Campaign A/);
    // its own dates do not count against it
    await ok(await t.admin.patch(`/api/campaigns/${a.id}`, { endDate: wk(18, 6) }));
  });

  it('gaining a health pillar is checked like creating a health campaign', async () => {
    const past = await created(await t.admin.post('/api/campaigns', body({ startDate: addDays(today, -3), endDate: addDays(today, 3), pillars: ['enforcement'] })));
    await refused(() => t.admin.patch(`/api/campaigns/${past.id}`, { pillars: ['enforcement', 'harm_reduction'] }), 'startDate', NOT_BEFORE_TODAY);
    const health = await created(await t.admin.post('/api/campaigns', body({ nameEn: 'Campaign H', startDate: wk(22), endDate: wk(22, 6) })));
    const enf = await created(await t.admin.post('/api/campaigns', body({ startDate: wk(22, 2), endDate: wk(23, 1), pillars: ['enforcement'] })));
    await refused(() => t.admin.patch(`/api/campaigns/${enf.id}`, { pillars: ['treatment'] }), 'startDate', /^overlaps the health campaign Campaign H/);
    await ok(await t.admin.patch(`/api/campaigns/${enf.id}`, { pillars: ['treatment'], startDate: wk(23), endDate: wk(23, 6) }));
    await park(past.id);
    await park(health.id);
  });
});

describe('the trusted path (seeds and test fixtures)', () => {
  it('creates and moves health campaigns over past days, audited as backdated', async () => {
    const before = await auditCount();
    const c = await pastCampaign(t, body({ startDate: '2024-03-06', endDate: '2024-03-08', pillars: ['education'] }));
    await pastCampaign(t, body({ startDate: '2024-03-07', pillars: ['treatment'] })); // overlapping, open-ended
    const moved = await movePastCampaign(t, c.id, { startDate: '2024-03-01', endDate: '2024-03-03' });
    expect(moved).toMatchObject({ startDate: '2024-03-01', endDate: '2024-03-03' });
    expect(await auditCount()).toBe(before + 3);
    const entries = await t.db.selectFrom('audit_log').select(['action', 'details']).where('entity_id', '=', c.id).orderBy('seq').execute();
    expect(entries.map((e) => [e.action, (e.details as { backdated?: boolean }).backdated])).toEqual([
      ['campaign.create', true],
      ['campaign.update', true],
    ]);
    // the HTTP routes refuse it as an unknown field
    await refused(() => t.admin.post('/api/campaigns', { ...body({ startDate: '2024-03-06', pillars: ['education'] }), backdated: true }), 'backdated', /is not an accepted field/);
    await refused(() => t.admin.patch(`/api/campaigns/${c.id}`, { startDate: '2024-02-01', backdated: true }), 'backdated', /is not an accepted field/);
    // the open one (from 2024) would overlap every new health campaign: move it out of the way
    const open = (await rows()).find((r) => r.start_date === '2024-03-07')!;
    await park(open.id);
  });

  it('the demo bootstrap seeds its campaign that started ten days ago through it', async () => {
    const { bootstrap } = await import('../src/server/bootstrap.js');
    const { freshDatabase } = await import('./helpers.js');
    const db = await freshDatabase();
    try {
      await bootstrap(db.db, { demo: true, sampleGeographyCsv: 'reference/geography-sample-phnom-penh.csv' });
      const [c] = await db.db.selectFrom('campaigns').selectAll().execute();
      expect(c.start_date).toBe(addDays(today, -10));
      const audit = await db.db.selectFrom('audit_log').select('details').where('action', '=', 'campaign.create').executeTakeFirstOrThrow();
      expect((audit.details as { backdated?: boolean }).backdated).toBe(true);
    } finally {
      await db.close();
    }
  }, 120_000);
});
