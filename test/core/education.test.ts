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
import { campaignToDatePeriod, campaignWeekPeriod, dayPeriod, isoWeekPeriod, monthPeriod, quarterPeriod, yearPeriod, type Period } from '../../src/core/periods.js';
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

  it('the series of a period is its own time line, every part a released period; a day is its own series', () => {
    const keys = (ps: Period[]) => ps.map((p) => p.key);
    expect(keys(educationSeries(monthPeriod(2026, 2)))).toEqual(Array.from({ length: 28 }, (_, d) => `day:2026-02-${String(d + 1).padStart(2, '0')}`));
    expect(keys(educationSeries(isoWeekPeriod(2026, 2)))).toEqual(['day:2026-01-05', 'day:2026-01-06', 'day:2026-01-07', 'day:2026-01-08', 'day:2026-01-09', 'day:2026-01-10', 'day:2026-01-11']);
    expect(keys(educationSeries(quarterPeriod(2026, 1)))).toEqual(['month:2026-01', 'month:2026-02', 'month:2026-03']);
    expect(keys(educationSeries(yearPeriod(2026)))).toEqual(['quarter:2026-Q1', 'quarter:2026-Q2', 'quarter:2026-Q3', 'quarter:2026-Q4']);
    expect(keys(educationSeries(dayPeriod('2026-01-20')))).toEqual(['day:2026-01-20']);
    expect(keys(educationSeries(campaignWeekPeriod(campaign, 2), campaign))).toEqual([8, 9, 10, 11, 12, 13, 14].map((n) => `campaign_day:${campaign.id}:${n}`));
    // campaign to date of a campaign that ended after 17 days: its two complete weeks, then days 15–17
    const ended = { ...campaign, endDate: '2026-01-21' };
    const toDate = campaignToDatePeriod(ended, '2026-01-25');
    expect(keys(educationSeries(toDate, ended))).toEqual([
      `campaign_week:${campaign.id}:1`,
      `campaign_week:${campaign.id}:2`,
      `campaign_day:${campaign.id}:15`,
      `campaign_day:${campaign.id}:16`,
      `campaign_day:${campaign.id}:17`,
    ]);
    // the parts cover the period exactly, in order, without overlap
    // a running campaign's to date is its complete weeks
    expect(keys(educationSeries(campaignToDatePeriod(campaign, '2026-01-21'), campaign))).toEqual([`campaign_week:${campaign.id}:1`, `campaign_week:${campaign.id}:2`]);
    for (const [p, c] of [[monthPeriod(2026, 2)], [quarterPeriod(2026, 1)], [yearPeriod(2026)], [toDate, ended]] as [Period, typeof campaign?][]) {
      const parts = educationSeries(p, c);
      expect(parts[0].from).toBe(p.from);
      expect(parts.at(-1)!.to).toBe(p.to);
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
  const sessions: SessionCountRow[] = [
    { part: 'day:2026-01-05', provinceCode: 'KH-12', topic: 'drug_risks', sessions: 1 },
    { part: 'day:2026-01-06', provinceCode: 'KH-12', topic: 'life_skills', sessions: 2 },
    { part: 'day:2026-01-20', provinceCode: 'KH-17', topic: 'drug_risks', sessions: 1 },
    // not a part of the series: ignored
    { part: 'day:2026-02-01', provinceCode: 'KH-17', topic: 'drug_risks', sessions: 7 },
  ];
  const month = monthPeriod(2026, 1);
  const parts = educationSeries(month);
  const build = async (rows: Fact[]) => buildEducationNational(month, parts, sessions, await release(EDUCATION_SPECS, source(rows), educationCells(month, parts)));
  const pp = PROVINCE_CODES.indexOf('KH-12');
  const sr = PROVINCE_CODES.indexOf('KH-17');

  it('counts sessions exactly, even 1 and 2 (sessions are not people), by province and day of the month', async () => {
    const n = await build(facts);
    expect(n.period).toEqual(month);
    expect(n.parts).toEqual(parts);
    expect(n.provinces).toEqual([...PROVINCE_CODES]);
    expect(n.sessions).toHaveLength(25);
    expect(n.sessions[pp].slice(0, 6)).toEqual([0, 0, 0, 0, 1, 2]);
    expect(n.sessions[sr][19]).toBe(1);
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
    // truth: KH-12 55 on the 5th, 40 on the 6th; KH-17 3 on the 20th
    const truth = PROVINCE_CODES.map(() => parts.map(() => 0));
    truth[pp][4] = 55;
    truth[pp][5] = 40;
    truth[sr][19] = 3;
    truth.forEach((r, i) => r.forEach((v, j) => expect(agrees(n.people.cells[i][j], v), `${i},${j}`).toBe(true)));
    expect(n.people.cells[pp][4]).toBe(55);
    expect(n.people.cells[sr][19]).toBe(SMALL);
    expect(n.people.rowTotals[sr]).toBe(SMALL);
    expect(agrees(n.people.total, 98)).toBe(true);
    // the national total of the 20th is KH-17's 3: "<5" too, never the exact figure
    expect(n.people.columnTotals[19]).toBe(SMALL);
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

  it('two small days of a province: each "<5", the month a multiple of 5 whose window leaves each day several values', async () => {
    const rows: Fact[] = [
      { day: '2026-01-20', province: 'KH-17', setting: 'prison', sex: 'male', age_band: '25_34', n: 4 },
      { day: '2026-01-21', province: 'KH-17', setting: 'prison', sex: 'male', age_band: '25_34', n: 4 },
    ];
    const n = await build(rows);
    expect(n.people.cells[sr][19]).toBe(SMALL);
    expect(n.people.cells[sr][20]).toBe(SMALL);
    const month = n.people.rowTotals[sr];
    expect(month === HIDDEN || month === 5 || month === 10).toBe(true);
    if (month !== HIDDEN) {
      // the month (8) minus one "<5" day: the other day is still anything the bounds allow, not one value
      const [lo, hi] = bounds(month);
      expect(Math.min(4, hi - 1) - Math.max(1, lo - 4)).toBeGreaterThan(0);
    }
    // the same data gives the same figures, however often asked
    expect((await build(rows)).people).toEqual(n.people);
  });

  it('writes each table as CSV, as published', async () => {
    const n = await build(facts);
    const province = parseCsv(educationNationalCsv(n, 'province'));
    expect(province.header).toEqual(['province_code', 'period', 'from', 'to', 'sessions', 'people_reached']);
    expect(province.rows.find((r) => r.cells[0] === 'KH-17' && r.cells[1] === '2026-01-20')!.cells).toEqual(['KH-17', '2026-01-20', '2026-01-20', '2026-01-20', '1', '<5']);
    expect(province.rows.find((r) => r.cells[0] === 'KH-12' && r.cells[1] === '2026-01-05')!.cells.slice(4)).toEqual(['1', String(n.people.cells[pp][4])]);
    expect(province.rows.find((r) => r.cells[0] === 'KH-12' && r.cells[1] === '2026-01')!.cells.slice(2)).toEqual(['2026-01-01', '2026-01-31', '3', String(n.people.rowTotals[pp])]);
    expect(province.rows).toHaveLength(25 * 31 + 25 + 31 + 1);
    expect(province.rows.at(-1)!.cells).toEqual(['all', '2026-01', '2026-01-01', '2026-01-31', '4', String(n.people.total)]);
    const setting = parseCsv(educationNationalCsv(n, 'setting'));
    expect(setting.header).toEqual(['setting', 'male', 'female', 'unknown', 'total']);
    expect(setting.rows.find((r) => r.cells[0] === 'school')!.cells.slice(1)).toEqual(['25', '30', '0', '55']);
    expect(setting.rows.find((r) => r.cells[0] === 'prison')!.cells[1]).toBe('<5');
    const age = parseCsv(educationNationalCsv(n, 'age'));
    expect(age.header[0]).toBe('age_band');
    expect(age.rows.map((r) => r.cells[0])).toEqual([...PARTICIPANT_AGE_BANDS, 'total']);
    // a day is its own series: its rows are not repeated
    const day = dayPeriod('2026-01-20');
    const d = buildEducationNational(day, [day], sessions, await release(EDUCATION_SPECS, source(facts), educationCells(day, [day])));
    expect(parseCsv(educationNationalCsv(d, 'province')).rows).toHaveLength(25 + 1);
  });
});
