/**
 * The reader who asks everything and subtracts (issue 9, point 4). Every published figure becomes a constraint on
 * the unknown counts behind it ("<5" → 1–4, a rounded 10 → 8–12, an exact 7 → 7, 0 → 0, "*" → at least 1); the
 * reader then solves, over all answers together, for the smallest and largest value a count can take — by linear
 * programming (HiGHS), confirmed by integer programming where the LP bounds are close. A count whose only
 * possible value is 1–4 is pinned.
 *
 * Unknowns are non-negative integers: the finest counts, and sums of other unknowns (`define`), which keep the model
 * sparse (a year is its quarters, a quarter its months…) without changing what it allows. Other linear relations a
 * reader knows hold (distinct counts over time: test/core/attacker-distinct.test.ts) are general rows `addRow(terms,
 * lo, hi)`; `violated()` checks every row and bound against the true values, so that a relation the reader is given
 * is shown to hold on the data, never only assumed.
 */
import highsLoader from 'highs';

type Highs = Awaited<ReturnType<typeof highsLoader>>;
let loaded: Promise<Highs> | null = null;
const highs = () => (loaded ??= highsLoader());

interface Row {
  terms: [number, number][];
  lo: number;
  hi: number;
}

export class Reader {
  private rows: Row[] = [];
  private known = new Map<number, [number, number]>();
  private n: number;

  /**
   * `unknowns`: how many finest counts (indices 0 … unknowns − 1). `options`: HiGHS options instead of the defaults
   * (a large model solves much faster with presolve on).
   */
  constructor(
    unknowns: number,
    private options: Record<string, unknown> = {},
  ) {
    this.n = unknowns;
  }

  /** A new unknown equal to the sum of `vars`. */
  define(vars: readonly number[]): number {
    const x = this.n++;
    this.rows.push({ terms: [[x, 1], ...vars.map((v) => [v, -1] as [number, number])], lo: 0, hi: 0 });
    return x;
  }

  /**
   * A general linear relation lo ≤ Σ c·x ≤ hi over unknowns (lo may be −Infinity, hi Infinity; lo = hi for an
   * equality). Terms with the same unknown are added together.
   */
  addRow(terms: readonly (readonly [number, number])[], lo: number, hi: number): void {
    const sum = new Map<number, number>();
    for (const [v, c] of terms) {
      if (!Number.isInteger(v) || v < 0 || v >= this.n) throw new RangeError(`addRow: no unknown ${v}`);
      sum.set(v, (sum.get(v) ?? 0) + c);
    }
    const live = [...sum].filter(([, c]) => c !== 0);
    if (!live.length) {
      if (lo > 0 || hi < 0) throw new Error('addRow: a relation without unknowns that does not hold');
      return;
    }
    this.rows.push({ terms: live, lo, hi });
  }

  get relations(): number {
    return this.rows.length;
  }

  /**
   * The rows and bounds that the values `truth` (one per unknown) break: each a description. Empty when everything
   * the reader was told holds on the true data.
   */
  violated(truth: ArrayLike<number>): string[] {
    if (truth.length < this.n) throw new RangeError(`violated: ${truth.length} values for ${this.n} unknowns`);
    const out: string[] = [];
    this.rows.forEach((r, i) => {
      const v = r.terms.reduce((s, [x, c]) => s + c * truth[x], 0);
      if (v < r.lo - 1e-9 || v > r.hi + 1e-9) out.push(`row ${i}: ${r.lo} <= ${v} <= ${r.hi} is false (${r.terms.map(([x, c]) => `${c}·x${x}=${truth[x]}`).join(' ')})`);
    });
    for (const [x, [lo, hi]] of this.known) if (truth[x] < lo || truth[x] > hi) out.push(`x${x} = ${truth[x]} is not in [${lo}, ${hi}]`);
    return out;
  }

  /** Learn that unknown `x` lies in [lo, hi] (hi may be Infinity). Repeated figures add nothing new. */
  learn(x: number, lo: number, hi: number): void {
    const prev = this.known.get(x);
    this.known.set(x, prev ? [Math.max(prev[0], lo), Math.min(prev[1], hi)] : [lo, hi]);
  }

  get constraints(): number {
    return this.known.size;
  }

  private model(target: number | Map<number, number>, sense: 'Minimize' | 'Maximize', integer: boolean): string {
    const name = (v: number) => `x${v}`;
    const objective =
      typeof target === 'number'
        ? name(target)
        : [...target].map(([v, c], k) => `${c < 0 ? '-' : k ? '+' : ''} ${Math.abs(c)} ${name(v)}`).join(' ');
    const term = ([v, c]: [number, number], k: number) => `${c < 0 ? '-' : k ? '+' : ''} ${Math.abs(c) === 1 ? '' : `${Math.abs(c)} `}${name(v)}`;
    const lines: string[] = [];
    this.rows.forEach((r, i) => {
      const expr = r.terms.map(term).join(' ');
      if (r.lo === r.hi) lines.push(` d${i}: ${expr} = ${r.lo}`);
      else {
        if (Number.isFinite(r.lo)) lines.push(` l${i}: ${expr} >= ${r.lo}`);
        if (Number.isFinite(r.hi)) lines.push(` u${i}: ${expr} <= ${r.hi}`);
      }
    });
    const bounds: string[] = [];
    for (let v = 0; v < this.n; v++) {
      const [lo, hi] = this.known.get(v) ?? [0, Infinity];
      bounds.push(Number.isFinite(hi) ? ` ${lo} <= ${name(v)} <= ${hi}` : ` ${name(v)} >= ${lo}`);
    }
    const all = Array.from({ length: this.n }, (_, v) => name(v));
    return [
      sense,
      ` obj: ${objective}`,
      'Subject To',
      ...(lines.length ? lines : [` d0: x0 >= 0`]),
      'Bounds',
      ...bounds,
      ...(integer ? ['General', ` ${all.join(' ')}`] : []),
      'End',
    ].join('\n');
  }

  /** Integral solutions found so far (each consistent with everything published): a count that differs between two
   *  of them is not pinned, whatever the solver would say. */
  private pool: Float64Array[] = [];

  /**
   * Look around the solutions the published figures allow: `k` random objectives over the finest counts, each
   * solution kept when it is integral. Cheap, and afterwards most counts are already seen to move.
   */
  async explore(k: number, finest: number, random: () => number): Promise<void> {
    for (let i = 0; i < k; i++) {
      const w = new Map<number, number>();
      for (let v = 0; v < finest; v++) if (random() < 0.3) w.set(v, Math.floor(random() * 9) - 4 || 1);
      await this.optimum(w, i % 2 ? 'Minimize' : 'Maximize', false);
    }
  }

  private async optimum(target: number | Map<number, number>, sense: 'Minimize' | 'Maximize', integer: boolean): Promise<number> {
    const h = await highs();
    const text = this.model(target, sense, integer);
    const options: Record<string, unknown> = { output_flag: false, mip_rel_gap: 0, presolve: 'off', simplex_strategy: 1, ...this.options };
    // HiGHS solves only the relaxation of an integer programme when told to use a given LP solver
    if (integer) delete options.solver;
    const res = h.solve(text, options as never);
    this.stats.solves++;
    if (res.Status === 'Unbounded') return sense === 'Maximize' ? Infinity : -Infinity;
    if (res.Status !== 'Optimal') throw new Error(`the reader's model is ${res.Status}: the published figures contradict each other`);
    const sol = new Float64Array(this.n);
    const raw = new Float64Array(this.n);
    let integral = true;
    for (const [name, col] of Object.entries(res.Columns as Record<string, { Primal: number }>)) {
      const v = col.Primal;
      raw[Number(name.slice(1))] = v;
      if (Math.abs(v - Math.round(v)) > 1e-6) integral = false;
      sol[Number(name.slice(1))] = Math.round(v);
    }
    if (integral) this.pool.push(sol);
    this.last = raw;
    return res.ObjectiveValue;
  }

  /** The last solution of the LP relaxation, as solved (fractional values kept). */
  private last: Float64Array | null = null;

  /**
   * `pinned()` for many unknowns at once, with the same meaning (a count the LP relaxation lets move by 1 or more is
   * not pinned; one it holds still is confirmed by the integer programme), in far fewer solves: first objectives
   * that push a random half of the open targets away from their true values at once (random weights), dropping
   * every target that any solution so far moves by 1 or more from its true value, until four rounds drop nothing; the few left are solved one at a time, each solution again
   * dropping the others it moves. Returns the targets pinned, with their value (at most `stopAfter` of them). The
   * targets' true values must satisfy every row and bound (`violated()` empty).
   */
  async pinnedAmong(
    targets: readonly { x: number; n: number }[],
    random: () => number,
    { log, name = (x) => `x${x}`, stopAfter = Infinity }: { log?: (s: string) => void; name?: (x: number) => string; stopAfter?: number } = {},
  ): Promise<{ x: number; n: number; v: number }[]> {
    let open = [...targets];
    const moved = (s: Float64Array | null) => {
      if (!s) return;
      const before = open.length;
      open = open.filter((t) => Math.abs(s[t.x] - t.n) < 1 - 1e-6);
      this.stats.pool += before - open.length;
    };
    for (const s of this.pool) moved(s);
    let stuck = 0;
    for (let round = 0; open.length && stuck < 4; round++) {
      const before = open.length;
      // a random half of the open targets, each pushed away from its true value: a 1 up, a 4 down, others either way
      const w = new Map<number, number>();
      for (const t of open) {
        if (random() < 0.5) continue;
        const up = t.n <= 1 ? true : t.n >= 4 ? false : random() < 0.5;
        w.set(t.x, (w.get(t.x) ?? 0) + (up ? 1 : -1) * (1 + Math.floor(random() * 3)));
      }
      if (!w.size) w.set(open[0].x, 1);
      await this.optimum(w, 'Maximize', false);
      moved(this.last);
      stuck = open.length < before ? 0 : stuck + 1;
      log?.(`round ${round}: ${open.length} open after ${this.stats.solves} solves`);
    }
    const out: { x: number; n: number; v: number }[] = [];
    log?.(`left to solve one by one: ${open.slice(0, 12).map((t) => `${name(t.x)} = ${t.n}`).join('; ')}${open.length > 12 ? ' …' : ''}`);
    while (open.length) {
      const t = open.shift()!;
      if (this.stats.solves % 20 === 0) log?.(`${open.length} open after ${this.stats.solves} solves, ${JSON.stringify(this.stats)}`);
      const hi = Math.floor((await this.optimum(t.x, 'Maximize', false)) + 1e-6);
      moved(this.last);
      if (hi > t.n) {
        this.stats.max++;
        continue;
      }
      const lo = Math.ceil((await this.optimum(t.x, 'Minimize', false)) - 1e-6);
      moved(this.last);
      if (lo < t.n) {
        this.stats.min++;
        continue;
      }
      // The LP relaxation holds the count at its true value. The integer programme's values lie within the LP's, and
      // the true data is one of its solutions (the caller checks with violated() that it breaks nothing), so the
      // integer programme pins it too: confirming it by MIP, which can take minutes on a large model, adds nothing.
      this.stats.mip++;
      out.push({ ...t, v: t.n });
      if (out.length >= stopAfter) break;
    }
    return out;
  }

  /**
   * Is unknown `x`, whose true value is `truth`, pinned to a single value? Returns that value when it is 1–4,
   * null when the published figures allow two or more values (or it is 0 or 5 and more).
   */
  readonly stats = { pool: 0, max: 0, min: 0, mip: 0, solves: 0 };
  get pooled(): number {
    return this.pool.length;
  }

  async pinned(x: number, truth: number): Promise<number | null> {
    if (this.pool.some((s) => s[x] !== truth)) return this.stats.pool++, null;
    const hi = Math.floor((await this.optimum(x, 'Maximize', false)) + 1e-6);
    if (hi > truth) return this.stats.max++, null;
    const lo = Math.ceil((await this.optimum(x, 'Minimize', false)) - 1e-6);
    if (lo < truth) return this.stats.min++, null;
    this.stats.mip++;
    // the LP relaxation says the count cannot move: confirm with the integer programme
    const ilo = Math.round(await this.optimum(x, 'Minimize', true));
    const ihi = Math.round(await this.optimum(x, 'Maximize', true));
    return ilo === ihi && ilo >= 1 && ilo <= 4 ? ilo : null;
  }
}
