import { describe, expect, it } from 'vitest';
import { participantTotal, PARTICIPANT_AGE_BANDS, PARTICIPANT_SEXES, sessionInput, SESSION_SETTINGS, SESSION_TOPICS } from '../../src/core/education.js';
import {
  buildEducationNational,
  educationCells,
  educationNationalCsv,
  educationSeries,
  EDUCATION_PEOPLE,
  EDUCATION_PEOPLE_SPEC,
  EDUCATION_SPECS,
  type SessionCountRow,
} from '../../src/core/indicators/education.js';
import { PROVINCE_CODES } from '../../src/core/geography.js';
import { allowedFilter, bounds, HIDDEN, SMALL, type Shown } from '../../src/core/disclosure.js';
import { campaignToDatePeriod, campaignWeekPeriod, isoWeekPeriod, monthPeriod, quarterPeriod, yearPeriod, type Period } from '../../src/core/periods.js';
import { release, type CountSource } from '../../src/server/disclosure/release.js';
import { parseCsv } from '../../src/core/csv.js';

const TODAY = '2026-03-10';
const valid = {
  heldOn: '2026-03-02',
  provinceCode: 'KH-17',
  setting: 'school',
  topic: 'drug_risks',
  participants: { female: { '15_17': 12 }, male: { '15_17': 9, '18_24': 2 } },
};
const paths = (body: unknown) => {
  const r = sessionInput(TODAY).safeParse(body);
  return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
};

describe('sessionInput', () => {
  it('accepts a session and keeps its participants by sex and age band', () => {
    const r = sessionInput(TODAY).parse({ ...valid, districtCode: null });
    expect(r.participants).toEqual(valid.participants);
    expect(participantTotal(r.participants)).toBe(23);
  });

  it('refuses a session with no participant, at participants', () => {
    expect(paths({ ...valid, participants: {} })).toEqual(['participants']);
    expect(paths({ ...valid, participants: { male: { '18_24': 0 }, female: {} } })).toEqual(['participants']);
  });

  it('refuses an unknown field, at the top and inside the participants grid', () => {
    const r = sessionInput(TODAY).safeParse({ ...valid, teacherName: 'x' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['teacherName'] });
    expect(paths({ ...valid, participants: { male: { '18_24': 3, age12: 1 } } })).toContain('participants.male');
    expect(paths({ ...valid, participants: { boys: { '18_24': 3 } } })).toContain('participants');
  });

  it('refuses a date in the future, and accepts today', () => {
    expect(paths({ ...valid, heldOn: '2026-03-11' })).toEqual(['heldOn']);
    expect(sessionInput(TODAY).safeParse({ ...valid, heldOn: TODAY }).success).toBe(true);
    expect(paths({ ...valid, heldOn: '2026-02-30' })).toEqual(['heldOn']);
  });

  it('refuses negative, fractional and non-number counts at the cell', () => {
    expect(paths({ ...valid, participants: { male: { '18_24': -1 }, female: { '18_24': 4 } } })).toEqual(['participants.male.18_24']);
    expect(paths({ ...valid, participants: { male: { '18_24': 1.5 } } })).toContain('participants.male.18_24');
    expect(paths({ ...valid, participants: { male: { '18_24': '3' } } })).toContain('participants.male.18_24');
  });

  it('refuses unknown codes: setting, topic, province', () => {
    expect(paths({ ...valid, setting: 'temple', topic: 'x', provinceCode: 'KH-99' }).sort()).toEqual(['provinceCode', 'setting', 'topic']);
  });
});

describe('national education view (pure)', () => {
  const campaign = { id: '00000000-0000-4000-8000-0000000000c1', startDate: '2026-01-05', endDate: null };

  it('the series of a period is its time line where every part is a released period, else the period alone; never a day', () => {
    const keys = (ps: Period[]) => ps.map((p) => p.key);
    // a month, an ISO week and a campaign week would be their days: each is its own single part
    expect(keys(educationSeries(monthPeriod(2026, 2)))).toEqual(['month:2026-02']);
    expect(keys(educationSeries(isoWeekPeriod(2026, 2)))).toEqual(['iso_week:2026-W02']);
    expect(keys(educationSeries(quarterPeriod(2026, 1)))).toEqual(['month:2026-01', 'month:2026-02', 'month:2026-03']);
    expect(keys(educationSeries(yearPeriod(2026)))).toEqual(['quarter:2026-Q1', 'quarter:2026-Q2', 'quarter:2026-Q3', 'quarter:2026-Q4']);
    expect(keys(educationSeries(campaignWeekPeriod(campaign, 2), campaign))).toEqual([`campaign_week:${campaign.id}:2`]);
    // campaign to date of a campaign that ended after 17 days: its line would end with days 15–17, so it is alone
    const ended = { ...campaign, endDate: '2026-01-21' };
    const toDate = campaignToDatePeriod(ended, '2026-01-25');
    expect(keys(educationSeries(toDate, ended))).toEqual([`campaign_to_date:${campaign.id}`]);
    // a running campaign's to date is its complete weeks
    const running = campaignToDatePeriod(campaign, '2026-01-21');
    expect(keys(educationSeries(running, campaign))).toEqual([`campaign_week:${campaign.id}:1`, `campaign_week:${campaign.id}:2`]);
    // the parts cover the period exactly, in order, without overlap, and none is a day
    for (const [p, c] of [[monthPeriod(2026, 2)], [quarterPeriod(2026, 1)], [yearPeriod(2026)], [toDate, ended], [running, campaign]] as [Period, typeof campaign?][]) {
      const parts = educationSeries(p, c);
      expect(parts[0].from).toBe(p.from);
      expect(parts.at(-1)!.to).toBe(p.to);
      for (const q of parts) expect(['day', 'campaign_day']).not.toContain(q.type);
    }
  });

  it('the measure of people reached: four dimensions, the crosses the view draws, additive in time', () => {
    expect(EDUCATION_SPECS.get(EDUCATION_PEOPLE)).toBe(EDUCATION_PEOPLE_SPEC);
    expect(EDUCATION_PEOPLE_SPEC.dims.map((d) => d.id)).toEqual(['province', 'setting', 'sex', 'age_band']);
    expect(EDUCATION_PEOPLE_SPEC.additiveInTime).toBe(true);
    expect(EDUCATION_PEOPLE_SPEC.dims[0].values).toEqual(PROVINCE_CODES);
    // every cell the view asks for is a released one; no district, no setting × province
    const month = monthPeriod(2026, 1);
    for (const c of educationCells(month, educationSeries(month))) expect(allowedFilter(EDUCATION_PEOPLE_SPEC, c.filter), JSON.stringify(c.filter)).toBe(true);
    expect(allowedFilter(EDUCATION_PEOPLE_SPEC, { province: 'KH-12', setting: 'school' })).toBe(false);
    expect(allowedFilter(EDUCATION_PEOPLE_SPEC, { district: '1201' })).toBe(false);
  });

  // exact people counts by day (what the summaries hold), and a source that answers from them as the server's does
  type Fact = { day: string; province: string; setting: string; sex: string; age_band: string; n: number };
  const facts: Fact[] = [
    { day: '2026-01-05', province: 'KH-12', setting: 'school', sex: 'female', age_band: '15_17', n: 30 },
    { day: '2026-01-05', province: 'KH-12', setting: 'school', sex: 'male', age_band: '15_17', n: 25 },
    { day: '2026-01-06', province: 'KH-12', setting: 'community', sex: 'male', age_band: '25_34', n: 40 },
    { day: '2026-01-20', province: 'KH-17', setting: 'prison', sex: 'male', age_band: '25_34', n: 3 },
  ];
  const source = (rows: Fact[]): CountSource => ({
    async counts(_measure, periods, by) {
      const out = new Map<string, { period: string; values: string[]; n: number }>();
      for (const f of rows) {
        const p = periods.find((x) => x.from <= f.day && f.day <= x.to);
        if (!p) continue;
        const values = by.map((d) => String(f[d as keyof Fact]));
        const k = [p.key, ...values].join('|');
        const r = out.get(k) ?? { period: p.key, values, n: 0 };
        r.n += f.n;
        out.set(k, r);
      }
      return [...out.values()];
    },
  });
  // the view of a quarter: its series is its three months (days are never released)
  const quarter = quarterPeriod(2026, 1);
  const parts = educationSeries(quarter);
  const sessions: SessionCountRow[] = [
    { part: 'month:2026-01', provinceCode: 'KH-12', topic: 'drug_risks', sessions: 1 },
    { part: 'month:2026-01', provinceCode: 'KH-12', topic: 'life_skills', sessions: 2 },
    { part: 'month:2026-01', provinceCode: 'KH-17', topic: 'drug_risks', sessions: 1 },
    // not a part of the series (a day is never one): ignored
    { part: 'day:2026-02-01', provinceCode: 'KH-17', topic: 'drug_risks', sessions: 7 },
  ];
  const buildFor = async (period: Period, rows: Fact[], sessionRows: SessionCountRow[] = []) => {
    const ps = educationSeries(period);
    return buildEducationNational(period, ps, sessionRows, await release(EDUCATION_SPECS, source(rows), educationCells(period, ps)));
  };
  const build = (rows: Fact[]) => buildFor(quarter, rows, sessions);
  const pp = PROVINCE_CODES.indexOf('KH-12');
  const sr = PROVINCE_CODES.indexOf('KH-17');

  it('counts sessions exactly, even 1 and 2 (sessions are not people), by province and month of the quarter', async () => {
    const n = await build(facts);
    expect(n.period).toEqual(quarter);
    expect(n.parts.map((p) => p.spec)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(n.provinces).toEqual([...PROVINCE_CODES]);
    expect(n.sessions).toHaveLength(25);
    expect(n.sessions[pp]).toEqual([3, 0, 0]);
    expect(n.sessions[sr]).toEqual([1, 0, 0]);
    expect(n.sessionsTotal).toBe(4);
    expect(n.sessionsByTopic).toEqual(SESSION_TOPICS.map((t) => (t === 'drug_risks' ? 2 : t === 'life_skills' ? 2 : 0)));
  });

  /** A published count agrees with the truth: 0 is 0, 1–4 is "<5" or "*", 5 or more is its rounding or "*". */
  const agrees = (p: Shown, v: number) => {
    if (v === 0) return p === 0;
    if (p === HIDDEN) return true;
    const [lo, hi] = bounds(p);
    return lo <= v && v <= hi && (v > 4 || p === SMALL);
  };

  it('publishes people reached as multiples of 5, 1–4 as "<5", zero as 0; the 3 men in a prison cannot be pinned', async () => {
    const n = await build(facts);
    expect(n.people.rows).toEqual([...PROVINCE_CODES]);
    expect(n.people.columns).toEqual(parts.map((p) => p.key));
    // truth: KH-12 55 + 40 in January; KH-17 3 in January
    const truth = PROVINCE_CODES.map(() => parts.map(() => 0));
    truth[pp][0] = 95;
    truth[sr][0] = 3;
    truth.forEach((r, i) => r.forEach((v, j) => expect(agrees(n.people.cells[i][j], v), `${i},${j}`).toBe(true)));
    expect(n.people.cells[pp][0]).toBe(95);
    expect(n.people.cells[sr][0]).toBe(SMALL);
    expect(n.people.rowTotals[sr]).toBe(SMALL);
    expect(agrees(n.people.total, 98)).toBe(true);
    expect(n.people.columnTotals.slice(1)).toEqual([0, 0]);
    expect(agrees(n.people.columnTotals[0], 98)).toBe(true);
    // a quarter's two-way tables have their cells
    expect(n.bySetting.crossed).toBe(true);
    expect(n.byAgeBand.crossed).toBe(true);
    const prison = SESSION_SETTINGS.indexOf('prison');
    const male = PARTICIPANT_SEXES.indexOf('male');
    expect(n.bySetting.cells[prison][male]).toBe(SMALL);
    expect(n.bySetting.rowTotals[prison]).toBe(SMALL);
    // men aged 25–34: 40 + 3 = 43, published 40 or 45 (a window of 9 values): the 3 is not pinned by it minus 40
    const men2534 = n.byAgeBand.cells[PARTICIPANT_AGE_BANDS.indexOf('25_34')];
    expect([40, 45]).toContain(men2534[0]);
    expect(men2534.slice(1)).toEqual([0, 0]);
    // multiples of 5 are published as they are
    expect(n.byAgeBand.cells[PARTICIPANT_AGE_BANDS.indexOf('15_17')]).toEqual([25, 30, 0]);
    expect([95, 100]).toContain(n.byAgeBand.total);
    // every published figure agrees with the truth it stands for
    expect(agrees(n.byAgeBand.total, 98)).toBe(true);
    expect(n.bySetting.withheld).toBe(false);
  });

  it('a week publishes its two-way tables by margins only (no cells); the margins are what was recorded', async () => {
    // 2026-W02 is 5–11 January: KH-12's 55 at a school and 40 in the community
    const w = await buildFor(isoWeekPeriod(2026, 2), facts);
    expect(w.parts.map((p) => p.key)).toEqual(['iso_week:2026-W02']);
    for (const t of [w.bySetting, w.byAgeBand]) {
      expect(t.crossed).toBe(false);
      expect(t.cells).toEqual(t.rows.map(() => []));
    }
    expect(w.bySetting.rowTotals).toEqual(SESSION_SETTINGS.map((s) => (s === 'school' ? 55 : s === 'community' ? 40 : 0)));
    expect(w.bySetting.columnTotals).toEqual([65, 30, 0]);
    expect(w.bySetting.total).toBe(95);
    expect(w.byAgeBand.rowTotals).toEqual(PARTICIPANT_AGE_BANDS.map((a) => (a === '15_17' ? 55 : a === '25_34' ? 40 : 0)));
    // the province table is one dimension a cell: a week's provinces are published
    expect(w.people.crossed).toBe(true);
    expect(w.people.cells[pp]).toEqual([95]);
    expect(w.people.cells[sr]).toEqual([0]);
    // 2026-W04 (19–25 January): the 3 men in a prison, "<5" in every margin
    const w4 = await buildFor(isoWeekPeriod(2026, 4), facts);
    const prison = SESSION_SETTINGS.indexOf('prison');
    expect(w4.bySetting.cells).toEqual(w4.bySetting.rows.map(() => []));
    expect(w4.bySetting.rowTotals[prison]).toBe(SMALL);
    expect(w4.bySetting.columnTotals[PARTICIPANT_SEXES.indexOf('male')]).toBe(SMALL);
    expect(w4.bySetting.total).toBe(SMALL);
    expect(w4.people.cells[sr]).toEqual([SMALL]);
    // the same cells for January (a month): released, and agreeing with the truth
    const jan = await buildFor(monthPeriod(2026, 1), facts);
    expect(jan.bySetting.crossed).toBe(true);
    expect(jan.bySetting.cells[prison][PARTICIPANT_SEXES.indexOf('male')]).toBe(SMALL);
    expect(jan.bySetting.cells[SESSION_SETTINGS.indexOf('school')]).toEqual([25, 30, 0]);
    expect(jan.bySetting.cells[SESSION_SETTINGS.indexOf('community')]).toEqual([40, 0, 0]);
  });

  it('two small weeks of a province: each "<5", the month a multiple of 5 whose window leaves each week several values', async () => {
    const rows: Fact[] = [
      { day: '2026-01-13', province: 'KH-17', setting: 'prison', sex: 'male', age_band: '25_34', n: 4 }, // 2026-W03
      { day: '2026-01-20', province: 'KH-17', setting: 'prison', sex: 'male', age_band: '25_34', n: 4 }, // 2026-W04
    ];
    const w3 = await buildFor(isoWeekPeriod(2026, 3), rows);
    const w4 = await buildFor(isoWeekPeriod(2026, 4), rows);
    expect(w3.people.rowTotals[sr]).toBe(SMALL);
    expect(w4.people.rowTotals[sr]).toBe(SMALL);
    expect(w3.people.total).toBe(SMALL);
    expect(w4.bySetting.rowTotals[SESSION_SETTINGS.indexOf('prison')]).toBe(SMALL);
    const n = await buildFor(monthPeriod(2026, 1), rows);
    const month = n.people.rowTotals[sr];
    expect(month === HIDDEN || month === 5 || month === 10).toBe(true);
    if (month !== HIDDEN) {
      // the month (8) minus one "<5" week: the other week is still anything the bounds allow, not one value
      const [lo, hi] = bounds(month);
      expect(Math.min(4, hi - 1) - Math.max(1, lo - 4)).toBeGreaterThan(0);
    }
    // the same data gives the same figures, however often asked
    expect((await buildFor(monthPeriod(2026, 1), rows)).people).toEqual(n.people);
    expect((await buildFor(isoWeekPeriod(2026, 3), rows)).people).toEqual(w3.people);
  });

  it('writes each table as CSV, as published', async () => {
    const n = await build(facts);
    const province = parseCsv(educationNationalCsv(n, 'province'));
    expect(province.header).toEqual(['province_code', 'period', 'from', 'to', 'sessions', 'people_reached']);
    expect(province.rows.find((r) => r.cells[0] === 'KH-17' && r.cells[1] === '2026-01')!.cells).toEqual(['KH-17', '2026-01', '2026-01-01', '2026-01-31', '1', '<5']);
    expect(province.rows.find((r) => r.cells[0] === 'KH-12' && r.cells[1] === '2026-01')!.cells.slice(4)).toEqual(['3', String(n.people.cells[pp][0])]);
    expect(province.rows.find((r) => r.cells[0] === 'KH-12' && r.cells[1] === '2026-Q1')!.cells.slice(2)).toEqual(['2026-01-01', '2026-03-31', '3', String(n.people.rowTotals[pp])]);
    expect(province.rows).toHaveLength(25 * 3 + 25 + 3 + 1);
    expect(province.rows.at(-1)!.cells).toEqual(['all', '2026-Q1', '2026-01-01', '2026-03-31', '4', String(n.people.total)]);
    // no row of a day
    expect(province.rows.some((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.cells[1]))).toBe(false);
    const setting = parseCsv(educationNationalCsv(n, 'setting'));
    expect(setting.header).toEqual(['setting', 'male', 'female', 'unknown', 'total']);
    expect(setting.rows.find((r) => r.cells[0] === 'school')!.cells.slice(1)).toEqual(['25', '30', '0', '55']);
    expect(setting.rows.find((r) => r.cells[0] === 'prison')!.cells[1]).toBe('<5');
    const age = parseCsv(educationNationalCsv(n, 'age'));
    expect(age.header[0]).toBe('age_band');
    expect(age.rows.map((r) => r.cells[0])).toEqual([...PARTICIPANT_AGE_BANDS, 'total']);
    // a month is its own series: its rows are not repeated
    const m = await buildFor(monthPeriod(2026, 1), facts, [{ part: 'month:2026-01', provinceCode: 'KH-17', topic: 'drug_risks', sessions: 1 }]);
    const mRows = parseCsv(educationNationalCsv(m, 'province')).rows;
    expect(mRows).toHaveLength(25 + 1);
    expect(mRows.find((r) => r.cells[0] === 'KH-17')!.cells).toEqual(['KH-17', '2026-01', '2026-01-01', '2026-01-31', '1', '<5']);
    // a week's two-way tables: the cell columns empty, the margins as published
    const w = await buildFor(isoWeekPeriod(2026, 2), facts);
    const ws = parseCsv(educationNationalCsv(w, 'setting'));
    expect(ws.header).toEqual(['setting', 'male', 'female', 'unknown', 'total']);
    expect(ws.rows.find((r) => r.cells[0] === 'school')!.cells).toEqual(['school', '', '', '', '55']);
    expect(ws.rows.at(-1)!.cells).toEqual(['total', '65', '30', '0', '95']);
    const wa = parseCsv(educationNationalCsv(w, 'age'));
    expect(wa.rows.find((r) => r.cells[0] === '25_34')!.cells).toEqual(['25_34', '', '', '', '40']);
  });
});
