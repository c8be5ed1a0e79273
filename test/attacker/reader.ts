/**
 * The reader who asks everything and subtracts (issue 9, point 4). Every published figure becomes a constraint on
 * the unknown counts behind it ("<5" → 1–4, a rounded 10 → 8–12, an exact 7 → 7, 0 → 0, "*" → at least 1); the
 * reader then solves, over all answers together, for the smallest and largest value a count can take — by linear
 * programming (HiGHS), confirmed by integer programming where the LP bounds are close. A count whose only
 * possible value is 1–4 is pinned.
 *
 * Unknowns are non-negative integers: the finest counts, and sums of other unknowns (`define`), which keep the model
 * sparse (a year is its quarters, a quarter its months…) without changing what it allows.
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

  /** `unknowns`: how many finest counts (indices 0 … unknowns − 1). */
  constructor(unknowns: number) {
    this.n = unknowns;
  }

  /** A new unknown equal to the sum of `vars`. */
  define(vars: readonly number[]): number {
    const x = this.n++;
    this.rows.push({ terms: [[x, 1], ...vars.map((v) => [v, -1] as [number, number])], lo: 0, hi: 0 });
    return x;
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
    const lines = this.rows.map((r, i) => ` d${i}: ${r.terms.map(([v, c], k) => `${c < 0 ? '-' : k ? '+' : ''} ${name(v)}`).join(' ')} = 0`);
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
    const options = { output_flag: false, mip_rel_gap: 0, presolve: 'off', simplex_strategy: 1 };
    const res = h.solve(text, options as never);
    if (res.Status === 'Unbounded') return sense === 'Maximize' ? Infinity : -Infinity;
    if (res.Status !== 'Optimal') throw new Error(`the reader's model is ${res.Status}: the published figures contradict each other`);
    const sol = new Float64Array(this.n);
    let integral = true;
    for (const [name, col] of Object.entries(res.Columns as Record<string, { Primal: number }>)) {
      const v = col.Primal;
      if (Math.abs(v - Math.round(v)) > 1e-6) integral = false;
      sol[Number(name.slice(1))] = Math.round(v);
    }
    if (integral) this.pool.push(sol);
    return res.ObjectiveValue;
  }

  /**
   * Is unknown `x`, whose true value is `truth`, pinned to a single value? Returns that value when it is 1–4,
   * null when the published figures allow two or more values (or it is 0 or 5 and more).
   */
  readonly stats = { pool: 0, max: 0, min: 0, mip: 0 };
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
