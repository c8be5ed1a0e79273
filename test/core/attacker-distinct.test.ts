/**
 * The attacker on distinct counts of people (issue 9, point 4): harm reduction's clients reached, new clients and
 * returning clients (src/core/indicators/harm-reduction.ts). The reader of test/core/attacker.test.ts attacks an
 * additive measure (admissions); here the figures are counts of distinct clients, which do not add up over time —
 * but a reader still knows a great deal about them without any microdata:
 *
 *  - split lines: every dimension is a partition of the clients (a client has one province, provider kind, sex and
 *    age band here), so a figure is the sum of its parts by any dimension it can be split by;
 *  - reached = new + returning, cell by cell;
 *  - new clients add up over time (a client is new once, in the period of its first contact);
 *  - inequalities between periods, over each finest cell (province × provider × sex × age), stated and proved where
 *    they are added (`distinctRelations`), and checked to hold on the true data before any solving.
 *
 * The reader asks every period the API allows (ISO weeks, months, the quarter, the year, campaign weeks, campaign to
 * date after each week: never days nor campaign days) × every filter released for it (two-way tables for months, the
 * quarter and the year only: src/core/disclosure.ts `releasedCell`) × each measure, released by the real `release()`, over a generated set of clients and contacts with many small cells, then solves by linear programming
 * (HiGHS, confirmed by integer programming) for every count of 1–4 that is not published as a number, and for the
 * finest counts behind them (never published). The test fails if any is pinned to one value.
 *
 * The same reader against the old per-table suppression (src/core/suppression.ts) over date ranges for new clients
 * recovers exact one-day counts; and against a release that only hides 1–4 (exact counts from 5, no rounding, no line
 * check), it pins counts of reached and returning clients through the inequalities between periods alone. Both runs
 * stay here as the proof that the test can fail, and that the distinct-count relations give the reader real power.
 *
 * The same reader against a release of every period including days, with two-way tables of every period (what the
 * layer published before: TONLE_ATTACKER_RELEASE=all) pins one-day counts of new clients: the rules of
 * `releasedCell` are what this test proves, not only the rounding.
 *
 * Env switches: TONLE_ATTACKER_FULL=1 also runs the slow proof that the distinct-count relations bite (about 35 s).
 * ATTACKER_VERBOSE=1 prints progress; ATTACKER_STOP=<n> (default 5) stops after n pinned counts.
 * TONLE_ATTACKER_RELEASE changes what the (simulated) server releases, for design experiments: a comma list of `all`
 * (every cell the lattice has, days and two-way tables of weeks included, as before), `noreturning` (no
 * returning-clients figures), `onecross` (one cross per measure: province × sex), `nocampaign` (no campaign
 * periods), `notodate` (no campaign to date). (The reader's two proofs always ask everything.)
 */
import { describe, expect, it } from 'vitest';
import { bounds, cellKey, HIDDEN, releasedCell, SMALL, type CellRef, type Filter, type MeasureSpec, type Shown } from '../../src/core/disclosure.js';
import { eachDate, type Period } from '../../src/core/periods.js';
import { HR_CLIENTS_REACHED, HR_NEW_CLIENTS, HR_RETURNING_CLIENTS } from '../../src/core/indicators/harm-reduction.js';
import { release, specMap, type CountSource } from '../../src/server/disclosure/release.js';
import { suppress, type Published } from '../../src/core/suppression.js';
import { addDays } from '../../src/core/dates.js';
import { prng } from '../../src/server/demo/random.js';
import { Reader } from '../attacker/reader.js';
import { referenceRelease } from '../attacker/reference-release.js';
import { CAMPAIGN, DAYS, everyPeriod, HORIZON } from '../attacker/lattice.js';

/** the slow proof: opt-in */
const FULL = process.env.TONLE_ATTACKER_FULL === '1';
/** what a (simulated) server releases differently: see the header */
const RESTRICT = new Set((process.env.TONLE_ATTACKER_RELEASE ?? '').split(',').filter(Boolean));
const STOP = Number(process.env.ATTACKER_STOP ?? 5);

// ------------------------------------------------------------------------------------------------ the dataset

const DAY_INDEX = new Map(DAYS.map((d, i) => [d, i]));
const DIMS = [
  { id: 'province', values: ['KH-1', 'KH-2', 'KH-3'] },
  { id: 'provider', values: ['ngo', 'health_centre'] },
  { id: 'sex', values: ['male', 'female'] },
  { id: 'age', values: ['<25', '25+'] },
] as const;
const CROSSES = [
  ['province', 'sex'],
  ['province', 'age'],
  ['provider', 'sex'],
  ['provider', 'age'],
] as const;
// the real specs (additivity, reached = new + returning), with fewer dimension values so that the model stays small
const REACHED: MeasureSpec = { ...HR_CLIENTS_REACHED, dims: DIMS, crosses: CROSSES };
const NEW: MeasureSpec = { ...HR_NEW_CLIENTS, dims: DIMS, crosses: CROSSES };
const RETURNING: MeasureSpec = { ...HR_RETURNING_CLIENTS, dims: DIMS, crosses: CROSSES };
const SPECS = specMap(REACHED, NEW, RETURNING);
const MEASURES = [REACHED, NEW, RETURNING];
type Kind = 'reached' | 'new' | 'returning';
const KIND: Record<string, Kind> = { [REACHED.id]: 'reached', [NEW.id]: 'new', [RETURNING.id]: 'returning' };

/** The finest cells: province × provider × sex × age (24). */
const COMBOS: Record<string, string>[] = DIMS.reduce<Record<string, string>[]>((acc, d) => acc.flatMap((f) => d.values.map((v) => ({ ...f, [d.id]: v }))), [{}]);
const comboKey = (f: Filter) => DIMS.map((d) => f[d.id]).join('|');
const COMBO_INDEX = new Map(COMBOS.map((f, i) => [comboKey(f), i]));

interface Client {
  values: Record<string, string>;
  /** the day of the first contact ever: in the horizon, or long before it (a client known from last year) */
  first: string;
  /** the days of its contacts in the horizon, sorted, distinct */
  days: string[];
}

/**
 * Clients, each with a fixed province, provider kind, sex and age band and a first contact, and their contact days:
 * a third known from before (first contact in 2025, outside every period asked), the others first seen on a day of
 * the horizon; most are seen once or twice, a few often. Provinces and providers of very different sizes, so that
 * the finest cells are mostly 0–2 and national figures are in the tens.
 */
function dataset(seed: number): Client[] {
  const rnd = prng(seed);
  const pick = <T>(values: readonly T[], weights: number[]) => {
    let u = rnd() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < values.length; i++) if ((u -= weights[i]) < 0) return values[i];
    return values[values.length - 1];
  };
  const clients: Client[] = [];
  for (let k = 0; k < 190; k++) {
    const values = {
      province: pick(DIMS[0].values, [6, 3, 1]),
      provider: pick(DIMS[1].values, [3, 1]),
      sex: pick(DIMS[2].values, [4, 1]),
      age: pick(DIMS[3].values, [1, 2]),
    };
    const old = rnd() < 0.33;
    const start = old ? 0 : Math.floor(rnd() * DAYS.length);
    const first = old ? '2025-06-01' : DAYS[start];
    const days = new Set<string>(old ? [] : [first]);
    const regular = rnd() < 0.12;
    const more = regular ? 4 + Math.floor(rnd() * 6) : old ? 1 + Math.floor(rnd() * 2) : Math.floor(rnd() * 2.2);
    for (let i = 0; i < more; i++) days.add(DAYS[start + Math.floor(rnd() * (DAYS.length - start))]);
    clients.push({ values, first, days: [...days].sort() });
  }
  return clients;
}

/** A period clipped to the horizon (nothing happened outside it in 2026), or null when it has none of it. */
interface Range {
  from: string;
  to: string;
}
const clip = (p: Range): Range | null => {
  const from = p.from > HORIZON.from ? p.from : HORIZON.from;
  const to = p.to < HORIZON.to ? p.to : HORIZON.to;
  return from <= to ? { from, to } : null;
};
const rangeKey = (r: Range) => `${r.from}..${r.to}`;

const matches = (c: Client, f: Filter) => Object.entries(f).every(([d, v]) => c.values[d] === v);
const reachedIn = (c: Client, r: Range) => c.days.some((d) => d >= r.from && d <= r.to);
const newIn = (c: Client, r: Range) => c.first >= r.from && c.first <= r.to;
/** The exact value of a measure for the clients of a filter in a period, from the microdata. */
function exact(clients: Client[], kind: Kind, r: Range, f: Filter): number {
  let n = 0;
  for (const c of clients) {
    if (!matches(c, f) || !reachedIn(c, r)) continue;
    const fresh = newIn(c, r);
    if (kind === 'reached' || (kind === 'new' && fresh) || (kind === 'returning' && !fresh)) n++;
  }
  return n;
}

/** An in-memory CountSource: exact distinct counts of the clients, as a pillar's summaries answer them. */
function source(clients: Client[]): CountSource {
  return {
    async counts(measure, periods, by) {
      const kind = KIND[measure];
      if (!kind) throw new Error(`unknown measure ${measure}`);
      const out = new Map<string, { period: string; values: string[]; n: number }>();
      for (const p of periods)
        for (const c of clients) {
          if (!reachedIn(c, p)) continue;
          const fresh = newIn(c, p);
          if ((kind === 'new' && !fresh) || (kind === 'returning' && fresh)) continue;
          const values = by.map((d) => c.values[d]);
          const k = `${p.key}|${values.join('|')}`;
          const row = out.get(k) ?? { period: p.key, values, n: 0 };
          row.n++;
          out.set(k, row);
        }
      return [...out.values()];
    },
  };
}

/**
 * Every released filter of the spec: none, one dimension value, one value of each dimension of a cross (`crossed`
 * false: no two-way filters; `onlyFirstCross`: only the spec's first cross).
 */
function everyFilter(spec: MeasureSpec, crossed = true, onlyFirstCross = false): Filter[] {
  const out: Filter[] = [{}];
  for (const d of spec.dims) for (const v of d.values) out.push({ [d.id]: v });
  if (!crossed) return out;
  for (const [a, b] of onlyFirstCross ? spec.crosses.slice(0, 1) : spec.crosses) {
    const da = spec.dims.find((x) => x.id === a)!;
    const db = spec.dims.find((x) => x.id === b)!;
    for (const va of da.values) for (const vb of db.values) out.push({ [a]: va, [b]: vb });
  }
  return out;
}


/** The distinct stretches of the horizon that the periods cover (a campaign day is its day, a year the horizon …). */
function knownRanges(periods: readonly Period[]): { ranges: Range[]; byType: Map<string, Range[]> } {
  const seen = new Map<string, Range>();
  const byType = new Map<string, Range[]>();
  for (const p of periods) {
    const r = clip(p);
    if (!r) continue;
    const k = rangeKey(r);
    if (!seen.has(k)) seen.set(k, r);
    if (!byType.has(p.type)) byType.set(p.type, []);
    if (!byType.get(p.type)!.some((x) => rangeKey(x) === k)) byType.get(p.type)!.push(seen.get(k)!);
  }
  for (const d of DAYS) if (!seen.has(`${d}..${d}`)) seen.set(`${d}..${d}`, { from: d, to: d });
  return { ranges: [...seen.values()], byType };
}

// ------------------------------------------------------------------------------------------------ the reader's unknowns

/**
 * The reader's unknowns, each with its true value (to check that everything the reader is told holds):
 *  - N(d, c): new clients of finest cell c on day d (672);
 *  - T(P, c): returning clients of finest cell c in each known stretch P (one per stretch and cell);
 *  - sums: N(P, f) = Σ over the days and finest cells, T(P, f) = Σ over finest cells, R(P, f) = N(P, f) + T(P, f).
 * Every split line (partition dimensions), reached = new + returning and new clients' additivity in time hold by
 * construction; non-negativity of every unknown gives returning ≥ 0 and new ≤ reached.
 */
class Unknowns {
  readonly reader: Reader;
  readonly truth: number[] = [];
  readonly finest: number;
  private tIndex = new Map<string, number>();
  private memo = new Map<string, number | null>();
  readonly what = new Map<number, string>();

  constructor(
    private clients: Client[],
    readonly ranges: Range[],
  ) {
    const nAtoms = DAYS.length * COMBOS.length;
    this.finest = nAtoms + ranges.length * COMBOS.length;
    this.reader = new Reader(this.finest, { presolve: 'on', solver: 'ipm' });
    for (const d of DAYS)
      for (const f of COMBOS) {
        const x = this.truth.length;
        this.truth.push(exact(clients, 'new', { from: d, to: d }, f));
        this.what.set(x, `new ${d} ${comboKey(f)}`);
      }
    for (const r of ranges)
      for (const f of COMBOS) {
        const x = this.truth.length;
        this.tIndex.set(`${rangeKey(r)}|${comboKey(f)}`, x);
        this.truth.push(exact(clients, 'returning', r, f));
        this.what.set(x, `returning ${rangeKey(r)} ${comboKey(f)}`);
      }
  }

  private define(parts: (number | null)[], what: string): number | null {
    const live = parts.filter((p): p is number => p !== null);
    if (!live.length) return null;
    if (live.length === 1) return live[0];
    const x = this.reader.define(live);
    this.truth[x] = live.reduce((s, v) => s + this.truth[v], 0);
    this.what.set(x, what);
    return x;
  }
  private cached(key: string, make: () => number | null): number | null {
    if (this.memo.has(key)) return this.memo.get(key)!;
    const x = make();
    this.memo.set(key, x);
    return x;
  }

  nAtom(day: string, c: number): number {
    return DAY_INDEX.get(day)! * COMBOS.length + c;
  }
  /** new clients of a range (any range of the horizon) and filter */
  N(r: Range, f: Filter): number | null {
    return this.cached(`N|${rangeKey(r)}|${JSON.stringify(f)}`, () => {
      const missing = DIMS.find((d) => !(d.id in f));
      if (!missing) {
        const c = COMBO_INDEX.get(comboKey(f))!;
        return this.define(eachDate(r).map((d) => this.nAtom(d, c)), `new ${rangeKey(r)} ${comboKey(f)}`);
      }
      return this.define(missing.values.map((v) => this.N(r, { ...f, [missing.id]: v })), `new ${rangeKey(r)} ${JSON.stringify(f)}`);
    });
  }
  /** returning clients of a known range */
  T(r: Range, f: Filter): number | null {
    return this.cached(`T|${rangeKey(r)}|${JSON.stringify(f)}`, () => {
      const missing = DIMS.find((d) => !(d.id in f));
      if (!missing) {
        const x = this.tIndex.get(`${rangeKey(r)}|${comboKey(f)}`);
        if (x === undefined) throw new Error(`no returning unknown for ${rangeKey(r)}`);
        return x;
      }
      return this.define(missing.values.map((v) => this.T(r, { ...f, [missing.id]: v })), `returning ${rangeKey(r)} ${JSON.stringify(f)}`);
    });
  }
  R(r: Range, f: Filter): number | null {
    return this.cached(`R|${rangeKey(r)}|${JSON.stringify(f)}`, () => this.define([this.N(r, f), this.T(r, f)], `reached ${rangeKey(r)} ${JSON.stringify(f)}`));
  }
  of(kind: Kind, p: Range, f: Filter): number | null {
    const r = clip(p);
    if (!r) return null;
    return kind === 'new' ? this.N(r, f) : kind === 'returning' ? this.T(r, f) : this.R(r, f);
  }
}

const inside = (a: Range, b: Range) => a.from >= b.from && a.to <= b.to;
const same = (a: Range, b: Range) => a.from === b.from && a.to === b.to;
/** the days from `from` up to the day before `toExcl` (none when toExcl ≤ from) */
const daysBetweenExcl = (from: string, toExcl: string) => eachDate({ from, to: addDays(toExcl, -1) });

/**
 * The inequalities a reader knows between distinct counts of periods, added for each finest cell c (those of any
 * filter are their sums, so they follow). Write R, N, T for reached, new and returning clients of c; A = [a1, a2] and
 * B = [b1, b2] are stretches of days.
 *
 *  (1) A ⊂ B:  T(A) ≤ T(B) + N([b1, a1)).  Proof: a client returning in A was first seen before a1; if before b1 it
 *      is reached in B (A ⊂ B) and was first seen before B: returning in B; otherwise its first contact is in
 *      [b1, a1): it is one of N([b1, a1)). Equivalently (R = N + T, N additive) R(B) ≥ R(A) + N((a2, b2]): the
 *      clients new after A ends were not reached in A. With a1 = b1 it reads T(A) ≤ T(B); it implies R(A) ≤ R(B), so
 *      max_i R(p_i) ≤ R(P) for the parts p_i of P. Added for immediate containments only: the others are sums of them.
 *  (2) B tiled by consecutive disjoint stretches p_1 … p_k:  R(B) ≤ Σ R(p_i), i.e. T(B) ≤ Σ T(p_i) (N additive).
 *      Proof: a client reached in B is reached in some p_i. Tilings: by days, and greedily by the longest stretch of
 *      each period type (ISO weeks, campaign weeks, months …) and of all types together, days filling the rest.
 *  (3) A1, A2 ⊂ B overlapping, A1 ∪ A2 = B, neither containing the other, C ⊆ A1 ∩ A2 a known stretch (or none):
 *      R(B) ≤ R(A1) + R(A2) − R(C). Proof: clients reached in C are reached in A1 and in A2, counted twice on the right
 *      (coverage is submodular). In T form: T(B) ≤ T(A1) + T(A2) − T(C) + N((A1 ∩ A2) \ C).
 *  Also, by the bounds of the unknowns: T(P) ≥ 0 (returning) and so N(P) ≤ R(P).
 *  Not added, because false: R(P) ≥ N(P) + T(p_i) for a part p_i that is not the first (a client new on day 1 and
 *  seen again on day 2: R = 1, N = 1, T(day 2) = 1).
 */
function distinctRelations(u: Unknowns, byType: Map<string, Range[]>): void {
  const { ranges } = u;
  const term = (x: number | null, c: number): [number, number][] => (x === null ? [] : [[x, c]]);
  for (let c = 0; c < COMBOS.length; c++) {
    const f = COMBOS[c];
    const T = (r: Range) => u.T(r, f)!;
    const Nd = (days: string[], k: number): [number, number][] => days.map((d) => [u.nAtom(d, c), k]);
    // (1) immediate containments
    for (const b of ranges)
      for (const a of ranges) {
        if (same(a, b) || !inside(a, b)) continue;
        if (ranges.some((m) => !same(m, a) && !same(m, b) && inside(a, m) && inside(m, b))) continue;
        // T(B) − T(A) + N([b1, a1)) ≥ 0
        u.reader.addRow([[T(b), 1], [T(a), -1], ...Nd(daysBetweenExcl(b.from, a.from), 1)], 0, Infinity);
      }
    // (2) tilings
    for (const b of ranges) {
      if (b.from === b.to) continue;
      const families = [...byType.values(), ranges];
      const tilings = new Set<string>();
      for (const fam of [[], ...families]) {
        const parts: Range[] = [];
        for (let x = b.from; x <= b.to; ) {
          let best: Range = { from: x, to: x };
          for (const r of fam) if (r.from === x && inside(r, b) && !same(r, b) && r.to > best.to) best = r;
          parts.push(best);
          x = addDays(best.to, 1);
        }
        const k = parts.map(rangeKey).join(',');
        if (tilings.has(k)) continue;
        tilings.add(k);
        // Σ T(p_i) − T(B) ≥ 0
        u.reader.addRow([...parts.map((p): [number, number] => [T(p), 1]), [T(b), -1]], 0, Infinity);
      }
    }
    // (3) overlapping pairs whose union is known
    for (const b of ranges)
      for (const a1 of ranges)
        for (const a2 of ranges) {
          if (!(a1.from === b.from && a2.to === b.to && a1.from < a2.from && a1.to < a2.to && a2.from <= a1.to)) continue;
          const meet = { from: a2.from, to: a1.to };
          const cs = ranges.filter((r) => inside(r, meet));
          const maximal = cs.filter((r) => !cs.some((s) => !same(s, r) && inside(r, s)));
          for (const cr of maximal.length ? maximal : [null]) {
            const rest = eachDate(meet).filter((d) => !cr || d < cr.from || d > cr.to);
            // T(A1) + T(A2) − T(C) + N(meet \ C) − T(B) ≥ 0
            u.reader.addRow([[T(a1), 1], [T(a2), 1], ...term(cr && T(cr), -1), ...Nd(rest, 1), [T(b), -1]], 0, Infinity);
          }
        }
  }
}

// ------------------------------------------------------------------------------------------------ what is published

interface Released {
  x: number | null;
  n: number;
  shown: Shown | Published;
  bounds: [number, number];
  oneDay?: boolean;
  what: string;
}

/** Everything the new layer publishes: every measure, period and released filter, through the real release(). */
async function releaseEverything(clients: Client[], u: Unknowns, publish = release): Promise<Released[]> {
  const src = source(clients);
  const out: Released[] = [];
  const restrict = publish === release ? RESTRICT : new Set<string>(['all']);
  for (const period of everyPeriod()) {
    if (restrict.has('nocampaign') && period.type.startsWith('campaign')) continue;
    if (restrict.has('notodate') && period.type === 'campaign_to_date') continue;
    const measures = restrict.has('noreturning') ? MEASURES.filter((m) => m !== RETURNING) : MEASURES;
    // what the API publishes (`releasedCell`: no days, two-way tables for months, the quarter and the year), or
    // every cell of the lattice
    const cells: CellRef[] = measures
      .flatMap((m) => everyFilter(m, true, restrict.has('onecross')).map((filter) => ({ measure: m.id, period, filter })))
      .filter((c) => restrict.has('all') || releasedCell(SPECS.get(c.measure)!, c));
    if (!cells.length) continue;
    // every cell of the lattice, days included, each checked against its whole time line; or the release given
    const everything = publish === referenceRelease || (restrict.has('all') && publish === release);
    const shown = everything ? await referenceRelease(SPECS, src, cells, CAMPAIGN, { everything: true }) : await publish(SPECS, src, cells, CAMPAIGN);
    for (const c of cells) {
      const p = shown.get(cellKey(c))!;
      const kind = KIND[c.measure];
      out.push({ x: u.of(kind, period, c.filter), n: exact(clients, kind, period, c.filter), shown: p, bounds: bounds(p), what: `${kind} ${period.key} ${period.from}..${period.to} ${JSON.stringify(c.filter)}` });
    }
  }
  return out;
}

/**
 * A weaker release, for the proof that the distinct-count relations bite: 0 exact, 1–4 as "<5", 5 and more exact
 * (what a naive per-cell rule publishes: no rounding, no line check).
 */
const smallOnly: typeof release = async (_specs, src, cells) => {
  const out = new Map<string, Shown>();
  for (const c of cells) {
    const rows = await src.counts(c.measure, [c.period], Object.keys(c.filter));
    const n = rows.filter((r) => Object.keys(c.filter).every((d, i) => r.values[i] === c.filter[d])).reduce((s, r) => s + r.n, 0);
    out.set(cellKey(c), n >= 1 && n <= 4 ? SMALL : n);
  }
  return out;
};

/**
 * What the old views published for new clients: for every date range a reader could type, the tables by province ×
 * sex and by provider × age, each protected on its own by suppress().
 */
function releaseOld(clients: Client[], u: Unknowns, ranges: Range[]): Released[] {
  const out: Released[] = [];
  for (const r of ranges)
    for (const [rowDim, colDim] of [
      ['province', 'sex'],
      ['provider', 'age'],
    ] as const) {
      const rows = DIMS.find((d) => d.id === rowDim)!.values;
      const cols = DIMS.find((d) => d.id === colDim)!.values;
      const counts = rows.map((rv) => cols.map((cv) => exact(clients, 'new', r, { [rowDim]: rv, [colDim]: cv })));
      const t = suppress(counts);
      const b = (p: Published): [number, number] => (p === SMALL ? [1, 4] : p === HIDDEN ? (t.withheld ? [0, Infinity] : [5, Infinity]) : [p, p]);
      const add = (f: Filter, p: Published) =>
        out.push({ x: u.N(r, f), n: exact(clients, 'new', r, f), shown: p, bounds: b(p), oneDay: r.from === r.to, what: `new ${rangeKey(r)} ${JSON.stringify(f)}` });
      rows.forEach((rv, i) => {
        cols.forEach((cv, j) => add({ [rowDim]: rv, [colDim]: cv }, t.cells[i][j]));
        add({ [rowDim]: rv }, t.rowTotals[i]);
      });
      cols.forEach((cv, j) => add({ [colDim]: cv }, t.columnTotals[j]));
      add({}, t.total);
    }
  return out;
}

function learnAll(u: Unknowns, released: Released[]): Reader {
  for (const r of released) if (r.x !== null) u.reader.learn(r.x, r.bounds[0], r.bounds[1]);
  return u.reader;
}

/**
 * Every count the reader must not pin: released figures of 1–4 not shown as a number, and the finest counts of 1–4
 * (new clients of a finest cell and day; returning and reached clients of a finest cell and stretch), never
 * published.
 */
function targets(u: Unknowns, released: Released[]): { x: number; n: number }[] {
  const seen = new Set<number>();
  const out: { x: number; n: number }[] = [];
  const add = (x: number | null, n: number) => {
    if (x === null || n < 1 || n > 4 || seen.has(x)) return;
    seen.add(x);
    out.push({ x, n });
  };
  for (const r of released) if (typeof r.shown !== 'number') add(r.x, r.n);
  for (let x = 0; x < u.finest; x++) add(x, u.truth[x]);
  for (const r of u.ranges) for (const f of COMBOS) add(u.R(r, f), u.truth[u.R(r, f)!]);
  return out;
}

const verbose = !!process.env.ATTACKER_VERBOSE;
const log = (...a: unknown[]) => verbose && console.log(...a);

/** Solve for every target; the descriptions of those pinned, with the figures published about them. */
async function attack(u: Unknowns, released: Released[], all: { x: number; n: number }[], seed: number, stopAfter = STOP): Promise<string[]> {
  const reader = u.reader;
  const started = Date.now();
  const pinned = await reader.pinnedAmong(all, prng(seed * 31), { log: (s) => log(`  ${s}, ${Date.now() - started} ms`), name: (x) => u.what.get(x) ?? `x${x}`, stopAfter });
  log(`  solved in ${Date.now() - started} ms: ${JSON.stringify(reader.stats)}`);
  return pinned.map((t) => {
    const about = released.filter((r) => r.x === t.x).map((r) => `${String(r.shown)} (${r.what})`);
    return `${u.what.get(t.x) ?? `x${t.x}`} (true ${t.n}; published as ${about.join(' ') || 'nothing'}) pinned to ${t.v}`;
  });
}

function setup(clients: Client[], relations = true): Unknowns {
  const { ranges, byType } = knownRanges(everyPeriod());
  const u = new Unknowns(clients, ranges);
  if (relations) distinctRelations(u, byType);
  return u;
}

describe('the reader who asks everything and subtracts, on distinct counts of clients', () => {
  it('tells the reader only relations that hold: every row and bound is true on the microdata', async () => {
    for (const seed of [7, 11, 23]) {
      const clients = dataset(seed);
      const u = setup(clients);
      const released = await releaseEverything(clients, u);
      learnAll(u, released);
      expect(u.reader.violated(u.truth)).toEqual([]);
      // the weak releases too: what the proofs below solve must hold on the data as well
      const v = setup(clients);
      learnAll(v, await releaseEverything(clients, v, smallOnly));
      expect(v.reader.violated(v.truth)).toEqual([]);
    }
  });

  it('recovers exact one-day new clients from the old per-table suppression over date ranges (the proof the test can fail)', async () => {
    const clients = dataset(7);
    const u = setup(clients);
    const days = DAYS.slice(0, 14);
    const ranges = days.flatMap((from, i) => days.slice(i).map((to) => ({ from, to })));
    const released = releaseOld(clients, u, ranges);
    const reader = learnAll(u, released);
    expect(reader.violated(u.truth)).toEqual([]);
    // one-day hidden cells, the issue's attack: a range minus the same range one day shorter
    const oneDay = released.filter((r) => r.oneDay && r.shown === SMALL);
    expect(oneDay.length).toBeGreaterThan(10);
    const pinned = await attack(u, released, oneDay.flatMap((r) => (r.x === null ? [] : [{ x: r.x, n: r.n }])), 7, 3);
    expect(pinned.length).toBeGreaterThan(0);
  }, 120_000);

  // passes, but slow (about 35 s on this machine, more than the default suite's budget for this file): run with TONLE_ATTACKER_FULL=1
  it.runIf(FULL)('pins reached and returning clients through the relations between periods when counts of 5 and more are exact (the distinct-count relations bite)', async () => {
    const clients = dataset(7);
    const u = setup(clients);
    const released = await releaseEverything(clients, u, smallOnly);
    learnAll(u, released);
    // counts of reached and returning clients the reader pins …
    const hidden = targets(u, released).filter((t) => !(u.what.get(t.x) ?? '').startsWith('new'));
    const found = await u.reader.pinnedAmong(hidden, prng(7), { stopAfter: 20 });
    expect(found.length).toBeGreaterThan(0);
    // … some of them only thanks to the inequalities between periods: the same figures without them leave those free
    const v = setup(clients, false);
    learnAll(v, await releaseEverything(clients, v, smallOnly));
    const without = await v.reader.pinnedAmong(found, prng(7));
    log(`weak release: ${found.length} pinned with the relations, ${without.length} of them without`);
    expect(without.length).toBeLessThan(found.length);
  }, 120_000);

  it('pins counts when days and the two-way tables of weeks are released too (the rules of releasedCell are needed)', async () => {
    const clients = dataset(7);
    const u = setup(clients);
    const released = await releaseEverything(clients, u, referenceRelease);
    const reader = learnAll(u, released);
    expect(reader.violated(u.truth)).toEqual([]);
    const pinned = await attack(u, released, targets(u, released), 7, 1);
    expect(pinned.length).toBeGreaterThan(0);
  }, 600_000);

  it.each([7, 11])('pins nothing on the new layer: every count of clients of 1–4 keeps two or more possible values (seed %i)', async (seed) => {
    const clients = dataset(seed);
    const u = setup(clients);
    const released = await releaseEverything(clients, u);
    const reader = learnAll(u, released);
    expect(reader.violated(u.truth)).toEqual([]);
    const all = targets(u, released);
    // the hard case: many small counts of every measure, hidden and unpublished
    const kinds = (k: string) => all.filter((t) => (u.what.get(t.x) ?? '').startsWith(k)).length;
    expect(kinds('new')).toBeGreaterThan(100);
    expect(kinds('returning')).toBeGreaterThan(100);
    expect(kinds('reached')).toBeGreaterThan(100);
    if (!RESTRICT.size) expect(released.filter((r) => r.shown === SMALL).length).toBeGreaterThan(50);
    log(`seed ${seed}: ${released.length} figures, ${reader.constraints} bounds, ${reader.relations} rows, ${all.length} targets`);
    const pinned = await attack(u, released, all, seed);
    if (RESTRICT.size) console.log(`seed ${seed}, release without ${[...RESTRICT].join(', ')}: ${pinned.length} pinned${pinned.length >= STOP ? ' (stopped)' : ''} of ${all.length} targets`, pinned.slice(0, 10));
    expect(pinned).toEqual([]);
  }, 600_000);
});
