/**
 * Issue 9's differencing attack on the national education view, played against the API. The attack took the view
 * of one range minus the view of an overlapping range (…&to=Y minus …&to=Y−1) and read the day's hidden counts
 * exactly: 111 cells of 1–4 came out. Now:
 *  - `from` / `to` are refused by name (400), `to=9999-12-31` too: no caller-chosen range exists any more;
 *  - days and campaign days are 400s naming query.period (figures of health data are never released for a day);
 *  - the reader asks every fixed period that is released and overlaps the small counts (ISO weeks, months, the
 *    quarter, the year, a campaign's weeks and to date), and subtracts every pair of nested figures and solves all
 *    the answers together by interval propagation over the atoms the figures can tell apart (the days of a month
 *    outside its whole weeks, a province's week …): no count of people 1–4 is pinned to one value;
 *  - the same attacker given exact figures (what the view gave before rounding) pins them: it can fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import { pastCampaign } from './campaign-helpers.js';
import { bounds, type Shown } from '../src/core/disclosure.js';
import { addDays } from '../src/core/dates.js';
import { PROVINCE_CODES } from '../src/core/geography.js';

let t: TestApp;
let analyst: Client;
let campaignId: string;
const P = PROVINCE_CODES.length;

/** People recorded per day and province (each a session of its own): small counts at the edges of every period. */
const RECORDED: [string, string, number][] = [
  // KH-17: small counts on the last day of the month and of ISO week 2025-W48 (Sunday 30 November), on the first
  // day of December (Monday, W49), inside a week, and next to large ones
  ['2025-11-30', 'KH-17', 2],
  ['2025-12-01', 'KH-17', 3],
  ['2025-11-24', 'KH-17', 40],
  ['2025-11-26', 'KH-17', 1],
  ['2025-11-10', 'KH-17', 13],
  ['2025-12-03', 'KH-17', 4],
  // KH-17: small counts where a month and the ISO weeks do not line up: Saturday 1 November (2025-W44, which
  // starts in October) and Tuesday 30 December (2026-W01, which ends in January)
  ['2025-11-01', 'KH-17', 2],
  ['2025-12-30', 'KH-17', 3],
  // KH-12: many people every few days
  ...Array.from({ length: 12 }, (_, i) => [addDays('2025-11-20', i * 2), 'KH-12', 20 + 7 * i] as [string, string, number]),
  // KH-3: one person on the 28th
  ['2025-11-28', 'KH-3', 1],
];

beforeAll(async () => {
  t = await startTestApp({ loginRateLimit: 100_000 });
  analyst = await t.user('analyst', await t.org('oversight', 'national_committee', 'Differencing committee'));
  const officers = new Map<string, Client>();
  for (const code of ['KH-17', 'KH-12', 'KH-3']) officers.set(code, await t.user('education_officer', await t.org('education', 'education_office', `Differencing office ${code}`, code)));
  for (const [heldOn, provinceCode, n] of RECORDED) {
    const res = await officers.get(provinceCode)!.post('/api/education/sessions', { heldOn, provinceCode, setting: 'community', topic: 'drug_risks', participants: { female: { '25_34': n } } });
    expect(res.statusCode, res.body).toBe(201);
  }
  campaignId = (await pastCampaign(t, { nameEn: 'Differencing campaign', nameKm: 'យុទ្ធនាការ', startDate: '2025-11-17', endDate: '2025-12-07', pillars: ['education'] })).id;
});
afterAll(() => t.close());

describe('the old range queries are gone', () => {
  it('from / to are 400s naming the field, to=9999-12-31 and to=0001-01-01 too; the CSV the same', async () => {
    const cases: [string, string[]][] = [
      ['/api/education/national?to=9999-12-31', ['query.to']],
      ['/api/education/national?to=0001-01-01', ['query.to']],
      ['/api/education/national?from=2025-11-01&to=2025-11-30', ['query.from', 'query.to']],
      ['/api/education/national?from=2025-11-01', ['query.from']],
      ['/api/education/national?period=2025-11&to=2025-11-29', ['query.to']],
      ['/api/education/national.csv?table=province&from=2025-11-01&to=2025-11-29', ['query.from', 'query.to']],
      ['/api/education/national?period=9999-12-31', ['query.period']],
    ];
    for (const [url, paths] of cases) {
      const res = await analyst.get(url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      const fields = res.json().error.fields.map((f: { path: string }) => f.path);
      for (const p of paths) expect(fields, url).toContain(p);
    }
    expect((await analyst.get('/api/education/national?to=9999-12-31')).json().error.message).toMatch(/^query\.to: /);
  });
});

/** A published figure: the sum of the people of some (day, province) pairs lies within the bounds of its mark. */
interface Figure {
  what: string;
  vars: number[];
  shown: Shown;
}

const DAY0 = '2025-01-01';
const dayIndex = (d: string) => Math.round((Date.parse(`${d}T00:00:00Z`) - Date.parse(`${DAY0}T00:00:00Z`)) / 86_400_000);
const varOf = (day: string, province: number) => dayIndex(day) * P + province;
const daysOf = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

/** Every figure of people by province and time in one answer of the view (its cells, row and column totals, total). */
function figures(n: {
  period: { key: string; from: string; to: string };
  parts: { key: string; from: string; to: string }[];
  people: { cells: Shown[][]; rowTotals: Shown[]; columnTotals: Shown[]; total: Shown };
}): Figure[] {
  const out: Figure[] = [];
  const all = [...Array(P).keys()];
  const vars = (from: string, to: string, provinces: number[]) => daysOf(from, to).flatMap((d) => provinces.map((p) => varOf(d, p)));
  n.parts.forEach((part, j) => {
    all.forEach((i) => out.push({ what: `${part.key} ${PROVINCE_CODES[i]}`, vars: vars(part.from, part.to, [i]), shown: n.people.cells[i][j] }));
    out.push({ what: `${part.key} national`, vars: vars(part.from, part.to, all), shown: n.people.columnTotals[j] });
  });
  all.forEach((i) => out.push({ what: `${n.period.key} ${PROVINCE_CODES[i]}`, vars: vars(n.period.from, n.period.to, [i]), shown: n.people.rowTotals[i] }));
  out.push({ what: `${n.period.key} national`, vars: vars(n.period.from, n.period.to, all), shown: n.people.total });
  return out;
}

/** The truth: people per variable. */
function truth(): Map<number, number> {
  const m = new Map<number, number>();
  for (const [d, code, n] of RECORDED) m.set(varOf(d, PROVINCE_CODES.indexOf(code)), (m.get(varOf(d, PROVINCE_CODES.indexOf(code))) ?? 0) + n);
  return m;
}

/**
 * The atoms of a set of figures: the (day, province) pairs grouped by the figures they are part of. Nothing released
 * can tell two pairs of one atom apart (days are never released), so the most a reader can learn is the people of an
 * atom: the atom is what the reader tries to pin — the days of a month outside its whole ISO weeks, the days two
 * overlapping weeks share, a province's week …
 */
function atoms(figs: Figure[]) {
  const sig = new Map<number, number[]>();
  figs.forEach((f, i) => f.vars.forEach((v) => (sig.get(v) ?? sig.set(v, []).get(v)!).push(i)));
  const bySig = new Map<string, number>();
  const members: number[][] = [];
  const atomOf = new Map<number, number>();
  for (const [v, s] of sig) {
    const k = s.join(',');
    let a = bySig.get(k);
    if (a === undefined) bySig.set(k, (a = members.push([]) - 1));
    members[a].push(v);
    atomOf.set(v, a);
  }
  const name = (a: number) => {
    const days = [...new Set(members[a].map((v) => addDays(DAY0, Math.floor(v / P))))].sort();
    const provinces = [...new Set(members[a].map((v) => PROVINCE_CODES[v % P]))].join('+');
    return `${provinces} on ${days.length === 1 ? days[0] : `${days[0]}..${days.at(-1)}`}`;
  };
  return { figs: figs.map((f) => ({ ...f, vars: [...new Set(f.vars.map((v) => atomOf.get(v)!))] })), members, name };
}

/**
 * The reader: every figure is a constraint lo ≤ Σ atoms ≤ hi. (1) Every pair of nested figures subtracted; (2) every
 * atom's bounds tightened over all constraints together until nothing changes. Returns what it pinned to a single
 * value of 1–4 (true counts of 1–4 only; a pinned 0 or a pinned large count is no disclosure of a small cell).
 */
function attack(dayFigs: Figure[], bound: (f: Figure) => [number, number]): string[] {
  const exactDay = truth();
  const { figs, members, name } = atoms(dayFigs);
  const exact = new Map(members.map((vs, a) => [a, vs.reduce((s, v) => s + (exactDay.get(v) ?? 0), 0)]));
  const value = (vars: number[]) => vars.reduce((a, v) => a + (exact.get(v) ?? 0), 0);
  const leaks: string[] = [];
  // (1) differences of nested figures: A ⊃ B gives A − B within [loA − hiB, hiA − loB]
  const values = figs.map((f) => value(f.vars));
  const sets = new Map<number, Set<number>>();
  const setOf = (a: number) => sets.get(a) ?? sets.set(a, new Set(figs[a].vars)).get(a)!;
  for (let a = 0; a < figs.length; a++)
    for (let b = 0; b < figs.length; b++) {
      const diff0 = values[a] - values[b];
      // only a difference that is a small count can disclose one
      if (diff0 < 1 || diff0 > 4 || a === b || figs[b].vars.length >= figs[a].vars.length) continue;
      if (!figs[b].vars.every((v) => setOf(a).has(v))) continue;
      const [la, ha] = bound(dayFigs[a]);
      const [lb, hb] = bound(dayFigs[b]);
      const lo = Math.max(0, la - hb);
      const hi = ha - lb;
      if (lo === hi) leaks.push(`${figs[a].what} − ${figs[b].what} = ${diff0}`);
    }
  // (2) interval propagation over all figures together (a large finite bound stands for "no upper bound yet")
  const NONE = 1e7;
  const lo = new Map<number, number>();
  const hi = new Map<number, number>();
  for (const v of exact.keys()) {
    lo.set(v, 0);
    hi.set(v, NONE);
  }
  for (let round = 0, changed = true; changed && round < 50; round++) {
    changed = false;
    figs.forEach((f, i) => {
      const [L, H0] = bound(dayFigs[i]);
      const H = Math.min(H0, NONE);
      let sumLo = 0;
      let sumHi = 0;
      for (const v of f.vars) {
        sumLo += lo.get(v)!;
        sumHi += hi.get(v)!;
      }
      for (const v of f.vars) {
        const othersLo = sumLo - lo.get(v)!;
        const othersHi = sumHi - hi.get(v)!;
        const newHi = Math.min(hi.get(v)!, H - othersLo);
        const newLo = Math.max(lo.get(v)!, L - othersHi);
        if (newHi < hi.get(v)!) {
          sumHi += newHi - hi.get(v)!;
          hi.set(v, newHi);
          changed = true;
        }
        if (newLo > lo.get(v)!) {
          sumLo += newLo - lo.get(v)!;
          lo.set(v, newLo);
          changed = true;
        }
      }
    });
  }
  for (const [v, n] of exact) if (n >= 1 && n <= 4 && lo.get(v) === hi.get(v)) leaks.push(`${name(v)} = ${n}`);
  return leaks;
}

describe('every overlapping fixed period, asked and subtracted', () => {
  it('a day or a campaign day is a 400 naming query.period: there is no day figure to subtract', async () => {
    for (const q of [...daysOf('2025-11-20', '2025-12-07').map((d) => `period=${d}`), ...Array.from({ length: 21 }, (_, i) => `period=day:${i + 1}&campaignId=${campaignId}`)]) {
      const res = await analyst.get(`/api/education/national?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.fields.map((f: { path: string }) => f.path), q).toEqual(['query.period']);
    }
  });

  it('pins no count of 1–4 people; the same attack on exact figures pins them all', async () => {
    const specs = [
      // every ISO week that overlaps the fourth quarter's small counts, 2025-W44 (27 October – 2 November) to 2026-W01
      ...Array.from({ length: 9 }, (_, i) => `period=2025-W${44 + i}`),
      'period=2026-W01',
      'period=2025-10',
      'period=2025-11',
      'period=2025-12',
      'period=2025-Q4',
      'period=2025',
      `period=to_date&campaignId=${campaignId}`,
      ...[1, 2, 3].map((w) => `period=week:${w}&campaignId=${campaignId}`),
    ];
    const byWhat = new Map<string, Figure>();
    for (const q of specs) {
      const res = await analyst.get(`/api/education/national?${q}`);
      expect(res.statusCode, `${q}: ${res.body}`).toBe(200);
      for (const f of figures(res.json())) {
        // the same figure reads the same in every answer it is part of
        const seen = byWhat.get(f.what);
        if (seen) expect(f.shown, `${f.what} in ${q}`).toEqual(seen.shown);
        else byWhat.set(f.what, f);
      }
      // asked again, every figure reads the same
      expect((await analyst.get(`/api/education/national?${q}`)).json().people).toEqual(res.json().people);
    }
    const figs = [...byWhat.values()];
    // the small counts are there to be found, and the views do show them as "<5" somewhere
    expect(figs.some((f) => f.what === 'iso_week:2025-W44 KH-17' && f.shown === '<5')).toBe(true);
    expect(figs.some((f) => f.what === 'iso_week:2025-W48 KH-3' && f.shown === '<5')).toBe(true);
    expect(attack(figs, (f) => bounds(f.shown))).toEqual([]);

    // proof that the reader can win: with the exact figures (what the view gave before rounding) the small counts
    // are pinned — the two days of November outside its whole ISO weeks, the last three days of December (in
    // 2026-W01), a province's week — by differences of nested periods and by solving all figures together
    const exact = truth();
    const leaks = attack(figs, (f) => {
      const n = f.vars.reduce((a, v) => a + (exact.get(v) ?? 0), 0);
      return [n, n];
    });
    expect(leaks).toContain('KH-17 on 2025-11-01..2025-11-02 = 2');
    expect(leaks).toContain('KH-17 on 2025-12-29..2025-12-31 = 3');
    expect(leaks).toContain('KH-3 on 2025-11-24..2025-11-30 = 1');
    expect(leaks).toContain('month:2025-12 KH-17 − iso_week:2025-W49 KH-17 = 3');
  }, 120_000);
});
