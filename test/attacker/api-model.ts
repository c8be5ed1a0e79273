/**
 * The reader's linear model for the attacker that plays through the HTTP API (test/attacker-api.test.ts). Unlike
 * test/attacker/reader.ts (sums only), rows here are general linear rows (coefficients ±1), which the stock-and-flow
 * relation of "in care" needs: in care at the end of day d = in care at the end of d − 1 + admissions on d −
 * discharges on d.
 *
 * Unknowns are non-negative integers. Before solving, every unknown that a published 0 covers (a row whose terms
 * are all +1 and whose bounds are [0, 0]) is fixed to 0 and dropped: a reader learns zeros exactly, and the LP
 * stays small. A count is "pinned" when every integral solution consistent with what was published gives it one
 * value: decided by a pool of integral solutions seen so far (a count that differs between two of them moves), then
 * by the points the LP has visited (a count a whole unit away from its true value at one of them is moved by the
 * relaxation), then the LP relaxation: if even the relaxation cannot move it, it is pinned (the true counts are an integral solution,
 * so this needs no confirmation). When the relaxation moves it, it is taken as not pinned, as test/attacker/reader.ts
 * does; `strict` asks the integer programme instead (the exact reader, much slower).
 */
import highsLoader from 'highs';

type Highs = Awaited<ReturnType<typeof highsLoader>>;
let loaded: Promise<Highs> | null = null;
const highs = () => (loaded ??= highsLoader());

/** A linear expression: unknown → coefficient. */
export type Terms = ReadonlyMap<number, number>;

interface Row {
  terms: Map<number, number>;
  lo: number;
  hi: number;
  /** what the row is (the figures it comes from) */
  labels: string[];
}

export const termsOf = (vars: Iterable<number>, coef = 1): Map<number, number> => {
  const m = new Map<number, number>();
  for (const v of vars) m.set(v, (m.get(v) ?? 0) + coef);
  return m;
};
export const termsKey = (t: Terms) =>
  [...t]
    .filter(([, c]) => c !== 0)
    .sort((a, b) => a[0] - b[0])
    .map(([v, c]) => `${v}:${c}`)
    .join(',');

export class ApiModel {
  private n = 0;
  private rows: Row[] = [];
  /** rows keyed by their terms: the same figure asked twice (a day and its campaign day) is one row, bounds intersected */
  private byKey = new Map<string, Row>();
  private zero = new Set<number>();
  private pool: Int32Array[] = [];
  /**
   * Every point the LP has visited (feasible for the relaxation, maybe fractional). A count whose value at one of them
   * is a whole unit or more away from its true value is moved by the relaxation: exactly what the LP bounds of
   * `pinned()` would find, without solving (not used by the `strict` reader).
   */
  private lpPool: Float64Array[] = [];
  readonly stats = { pool: 0, lpPool: 0, lp: 0, mip: 0, pinned: 0 };
  /** decide "not pinned" by the integer programme, not the relaxation (slower; ATTACKER_STRICT=1 in the test) */
  constructor(private readonly strict = false) {}

  /** A new unknown (a non-negative integer). */
  variable(): number {
    if (this.built) throw new Error('the model is built: no new unknowns');
    return this.n++;
  }
  get unknowns(): number {
    return this.n;
  }
  get live(): number {
    return this.n - this.zero.size;
  }
  get constraints(): number {
    return this.rows.length;
  }

  /** lo ≤ Σ coef · x ≤ hi (hi may be Infinity). */
  row(terms: Terms, lo: number, hi: number, label = ''): void {
    if (this.built) throw new Error('the model is built: no new rows');
    const t = new Map([...terms].filter(([, c]) => c !== 0));
    if (!t.size) {
      if (lo > 0 || hi < 0) throw new Error(`the reader's model: an empty sum is published in [${lo}, ${hi}]`);
      return;
    }
    const key = termsKey(t);
    const prev = this.byKey.get(key);
    if (prev) {
      prev.lo = Math.max(prev.lo, lo);
      prev.hi = Math.min(prev.hi, hi);
      if (label) prev.labels.push(label);
      return;
    }
    const r = { terms: t, lo, hi, labels: label ? [label] : [] };
    this.rows.push(r);
    this.byKey.set(key, r);
  }

  /** Fix every unknown a published 0 covers (sums of non-negative unknowns), until nothing changes. */
  private eliminate(): void {
    let changed = true;
    while (changed) {
      changed = false;
      for (const r of this.rows) {
        for (const v of [...r.terms.keys()]) if (this.zero.has(v)) r.terms.delete(v);
        if (r.hi <= 0 && r.terms.size && [...r.terms.values()].every((c) => c > 0)) {
          for (const v of r.terms.keys()) this.zero.add(v);
          r.terms.clear();
          changed = true;
        }
      }
    }
    for (const r of this.rows) if (!r.terms.size && (r.lo > 0 || r.hi < 0)) throw new Error(`the reader's model: a sum of zeros is published in [${r.lo}, ${r.hi}]`);
    this.rows = this.rows.filter((r) => r.terms.size);
  }

  /** The live unknowns as columns of one persistent HiGHS model (objective and integrality changed per solve). */
  private solver: { h: Highs; model: any; col: Int32Array; live: Int32Array } | null = null;
  private built = false;

  private build(): void {
    if (this.built) return;
    this.eliminate();
    this.built = true;
  }

  private async model() {
    this.build();
    if (this.solver) return this.solver;
    const h = await highs();
    const live = Int32Array.from(Array.from({ length: this.n }, (_, v) => v).filter((v) => !this.zero.has(v)));
    const col = new Int32Array(this.n).fill(-1);
    live.forEach((v, i) => (col[v] = i));
    const starts = [0];
    const indices: number[] = [];
    const values: number[] = [];
    for (const r of this.rows) {
      const entries = [...r.terms].map(([v, c]) => [col[v], c]).sort((a, b) => a[0] - b[0]);
      for (const [i, c] of entries) indices.push(i), values.push(c);
      starts.push(indices.length);
    }
    const inf = h.infinity;
    const model = h.createModel({
      numCols: live.length,
      numRows: this.rows.length,
      colCost: new Float64Array(live.length),
      colLower: new Float64Array(live.length),
      colUpper: new Float64Array(live.length).fill(inf),
      rowLower: Float64Array.from(this.rows.map((r) => (Number.isFinite(r.lo) ? r.lo : -inf))),
      rowUpper: Float64Array.from(this.rows.map((r) => (Number.isFinite(r.hi) ? r.hi : inf))),
      matrix: { format: 'csr', numRows: this.rows.length, numCols: live.length, starts, indices, values },
    } as never);
    model.options.set({ output_flag: false, mip_rel_gap: 0 });
    this.solver = { h, model, col, live };
    return this.solver;
  }

  /** Release the solver's native memory. */
  dispose(): void {
    this.solver?.model.dispose();
    this.solver = null;
  }

  /** The live part of an expression (zeros dropped). */
  private liveTerms(t: Terms): Map<number, number> {
    this.build();
    return new Map([...t].filter(([v, c]) => c !== 0 && !this.zero.has(v)));
  }

  private async optimum(t: Terms, sense: 'Minimize' | 'Maximize', integer: boolean): Promise<number> {
    const { h, model, col, live } = await this.model();
    const cost = new Float64Array(live.length);
    for (const [v, c] of t) if (col[v] >= 0) cost[col[v]] += c;
    model.changeColsCost({ kind: 'range', from: 0, to: live.length - 1 }, cost);
    model.changeObjectiveSense(sense === 'Maximize' ? h.constants.objectiveSense.maximize : h.constants.objectiveSense.minimize);
    if (integer) model.changeColsIntegrality({ kind: 'range', from: 0, to: live.length - 1 }, new Int32Array(live.length).fill(1));
    const run = model.run();
    if (integer) model.clearIntegrality();
    const status = run.modelStatus;
    if (status === 10) return sense === 'Maximize' ? Infinity : -Infinity;
    if (status !== 7) throw new Error(`the reader's model has status ${status}: the published figures contradict each other (or the model is wrong)`);
    const x = model.getSolution().colValue as Float64Array;
    const sol = new Int32Array(this.n);
    const point = new Float64Array(this.n);
    let integral = true;
    live.forEach((v, i) => {
      point[v] = x[i];
      if (Math.abs(x[i] - Math.round(x[i])) > 1e-6) integral = false;
      sol[v] = Math.round(x[i]);
    });
    if (integral) this.pool.push(sol);
    this.lpPool.push(point);
    return model.getObjectiveValue();
  }

  /**
   * Why a count is pinned: the rows whose duals are not zero at the LP maximum and minimum of `t` (a certificate:
   * these figures alone bound it), with their labels.
   */
  async why(t: Terms): Promise<string[]> {
    const out = new Set<string>();
    for (const sense of ['Maximize', 'Minimize'] as const) {
      await this.optimum(this.liveTerms(t), sense, false);
      const dual = this.solver!.model.getSolution().rowDual as Float64Array;
      dual.forEach((d, i) => {
        if (Math.abs(d) > 1e-9) {
          const r = this.rows[i];
          out.add(`${r.labels[0] ?? '(structure)'}${r.labels.length > 1 ? ` (+${r.labels.length - 1} same)` : ''} ∈ [${r.lo}, ${r.hi}]`);
        }
      });
    }
    return [...out];
  }

  /** Check that the true counts satisfy every row (the model is right about the data): the first row broken, or null. */
  violated(truth: ArrayLike<number>): string | null {
    for (const r of this.rows) {
      let s = 0;
      for (const [v, c] of r.terms) s += c * truth[v];
      if (s < r.lo || s > r.hi) return `row ${termsKey(r.terms)}: ${s} not in [${r.lo}, ${r.hi}]`;
    }
    return null;
  }
  /** Every unknown fixed to 0 is 0 in the data. */
  wronglyZero(truth: ArrayLike<number>): number[] {
    this.build();
    return [...this.zero].filter((v) => truth[v] !== 0);
  }
  isZero(v: number): boolean {
    this.build();
    return this.zero.has(v);
  }

  /** `k` random objectives over the live unknowns (every integral solution joins the pool; with `mip`, every third is an integer programme). */
  async explore(k: number, random: () => number, mip = false): Promise<void> {
    this.build();
    const live = Array.from({ length: this.n }, (_, v) => v).filter((v) => !this.zero.has(v));
    for (let i = 0; i < k; i++) {
      const w = new Map<number, number>();
      for (const v of live) if (random() < 0.3) w.set(v, Math.floor(random() * 9) - 4 || 1);
      await this.optimum(w, i % 2 ? 'Minimize' : 'Maximize', mip && i % 3 === 2);
    }
  }
  get pooled(): number {
    return this.pool.length;
  }

  /**
   * Is the expression `t`, whose true value is `truth`, pinned to a single value by everything published? Returns
   * that value, or null when two or more values are possible.
   */
  async pinned(t: Terms, truth: number): Promise<number | null> {
    const live = this.liveTerms(t);
    if (!live.size) return truth === 0 ? 0 : (() => { throw new Error('a non-zero count over unknowns fixed to 0'); })();
    const value = (s: Int32Array) => {
      let x = 0;
      for (const [v, c] of live) x += c * s[v];
      return x;
    };
    if (this.pool.some((s) => value(s) !== truth)) return this.stats.pool++, null;
    if (!this.strict) {
      const moved = (p: Float64Array) => {
        let x = 0;
        for (const [v, c] of live) x += c * p[v];
        return Math.abs(x - truth) >= 1 - 1e-6;
      };
      if (this.lpPool.some(moved)) return this.stats.lpPool++, null;
    }
    const lpHi = Math.floor((await this.optimum(live, 'Maximize', false)) + 1e-6);
    // one side is enough for the relaxation's answer
    if (!this.strict && lpHi !== truth) return this.stats.lp++, null;
    const lpLo = Math.ceil((await this.optimum(live, 'Minimize', false)) - 1e-6);
    if (lpHi === truth && lpLo === truth) return this.stats.pinned++, truth;
    // the relaxation allows another value: like test/attacker/reader.ts, that is taken as "not pinned" unless
    // `strict`, where the integer programme must find an integral solution with another value
    if (!this.strict) return this.stats.lp++, null;
    this.stats.mip++;
    if (lpHi > truth && Math.round(await this.optimum(live, 'Maximize', true)) > truth) return null;
    if (lpLo < truth && Math.round(await this.optimum(live, 'Minimize', true)) < truth) return null;
    this.stats.pinned++;
    return truth;
  }
}
