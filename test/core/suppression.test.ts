import { describe, expect, it } from 'vitest';
import { HIDDEN, isHidden, SMALL, suppress, suppressCount, type Published, type SuppressedTable } from '../../src/core/suppression.js';

/** The published table as one grid with margins (row R = column totals, column C = row totals). */
function grid(t: SuppressedTable): Published[][] {
  return [...t.cells.map((r, i) => [...r, t.rowTotals[i]]), [...t.columnTotals, t.total]];
}
function trueGrid(counts: number[][]): number[][] {
  const R = counts.length;
  const C = counts[0].length;
  const g = counts.map((r) => [...r, r.reduce((a, b) => a + b, 0)]);
  const last = Array.from({ length: C + 1 }, (_, j) => g.reduce((a, r) => a + r[j], 0));
  return [...g.slice(0, R), last];
}
function lines(R: number, C: number): [number, number][][] {
  const out: [number, number][][] = [];
  for (let i = 0; i <= R; i++) out.push(Array.from({ length: C + 1 }, (_, j) => [i, j] as [number, number]));
  for (let j = 0; j <= C; j++) out.push(Array.from({ length: R + 1 }, (_, i) => [i, j] as [number, number]));
  return out;
}

/**
 * The reader's attack: every table of non-negative integers consistent with what is published ("<5" is 1–4, "*" is
 * 5 or more, shown numbers exact, every row and column adding up to its total). Returns the hidden members whose value
 * is the same in every consistent table (recovered), by searching, for each hidden member, a consistent table where
 * it differs from the truth.
 */
function recoverable(t: SuppressedTable, truth: number[][]): string[] {
  // a withheld table publishes its grand total only
  if (t.withheld) return t.cells.flat().every((v) => v === HIDDEN) && t.rowTotals.every((v) => v === HIDDEN) && t.columnTotals.every((v) => v === HIDDEN) ? [] : ['withheld table shows cells'];
  const g = grid(t);
  const R = g.length - 1;
  const C = g[0].length - 1;
  const vars: [number, number][] = [];
  g.forEach((row, i) => row.forEach((v, j) => typeof v !== 'number' && vars.push([i, j])));
  const max = truth[R][C] * 2 + 20;
  const dom = (i: number, j: number): [number, number] => (g[i][j] === SMALL ? [1, 4] : [5, max]);
  const ls = lines(R, C);
  const found: string[] = [];
  for (const [vi, vj] of vars) {
    const val: (number | null)[][] = g.map((row) => row.map((v) => (typeof v === 'number' ? v : null)));
    const feasible = () =>
      ls.every((line) => {
        let s = 0;
        let lo = 0;
        let hi = 0;
        line.forEach(([i, j], k) => {
          const sign = k === line.length - 1 ? -1 : 1;
          const v = val[i][j];
          if (v !== null) s += sign * v;
          else {
            const [a, b] = dom(i, j);
            if (sign > 0) {
              lo += a;
              hi += b;
            } else {
              lo -= b;
              hi -= a;
            }
          }
        });
        return -s >= lo && -s <= hi;
      });
    const search = (k: number): boolean => {
      if (k === vars.length) return true;
      const [i, j] = vars[k];
      const [a, b] = dom(i, j);
      for (let x = a; x <= b; x++) {
        if (i === vi && j === vj && x === truth[i][j]) continue;
        val[i][j] = x;
        if (feasible() && search(k + 1)) return true;
      }
      val[i][j] = null;
      return false;
    };
    // put the target first so that its value is fixed early
    vars.sort((p, q) => (p[0] === vi && p[1] === vj ? -1 : q[0] === vi && q[1] === vj ? 1 : 0));
    if (!search(0)) found.push(`[${vi},${vj}]=${truth[vi][vj]}`);
  }
  return found;
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('suppress: primary suppression', () => {
  it('cells 1–4 are "<5", zero stays 0, 5 and more are shown when nothing can be recovered', () => {
    const t = suppress([
      [0, 10, 20],
      [30, 40, 50],
    ]);
    expect(t.cells).toEqual([
      [0, 10, 20],
      [30, 40, 50],
    ]);
    expect(t.rowTotals).toEqual([30, 120]);
    expect(t.columnTotals).toEqual([30, 50, 70]);
    expect(t.total).toBe(150);
    for (const v of [1, 2, 3, 4]) expect(suppressCount(v)).toBe(SMALL);
    expect(suppressCount(0)).toBe(0);
    expect(suppressCount(5)).toBe(5);
  });

  it('an empty table and a table of zeros publish zeros', () => {
    expect(suppress([])).toEqual({ cells: [], rowTotals: [], columnTotals: [], total: 0, withheld: false });
    expect(suppress([[0, 0]])).toEqual({ cells: [[0, 0]], rowTotals: [0], columnTotals: [0, 0], total: 0, withheld: false });
  });

  it('a small total is itself "<5"', () => {
    const t = suppress([[1, 0, 0]]);
    expect(t.cells[0][0]).toBe(SMALL);
    expect(t.rowTotals[0]).toBe(SMALL);
    expect(t.total).toBe(SMALL);
  });

  it('refuses what is not a table of counts', () => {
    expect(() => suppress([[1, 2], [3]])).toThrow();
    expect(() => suppress([[1.5]])).toThrow();
    expect(() => suppress([[-1]])).toThrow();
  });
});

describe('suppress: secondary suppression', () => {
  it('a row with one "<5" cell hides its next smallest non-zero cell too', () => {
    const t = suppress([
      [3, 12, 40],
      [20, 30, 50],
    ]);
    expect(t.cells[0][0]).toBe(SMALL);
    expect(t.cells[0][1]).toBe(HIDDEN); // the next smallest non-zero of row 0
    expect(t.cells[0][2]).toBe(40);
    // column 0 and column 1 then have one hidden cell each: their smallest other cells are hidden as well
    expect(t.cells[1][0]).toBe(HIDDEN);
    expect(t.cells[1][1]).toBe(HIDDEN);
    expect(t.rowTotals).toEqual([55, 100]);
  });

  it('zeros are never chosen: with no other non-zero cell the total is hidden', () => {
    const t = suppress([
      [3, 0, 0],
      [10, 20, 30],
    ]);
    expect(t.cells[0]).toEqual([SMALL, 0, 0]);
    expect(t.rowTotals[0]).toBe(SMALL); // 3 itself
    // column 0 has two hidden members (3 and ...)? its total 13 would give 3 from 10: 10 must be hidden
    expect(t.cells[1][0]).toBe(HIDDEN);
  });

  it('two "<5" cells that must add up to 8 are both 4: one more cell is hidden', () => {
    const t = suppress([[4, 4, 0, 9]]);
    expect(t.cells[0]).toEqual([SMALL, SMALL, 0, HIDDEN]);
  });

  it('a hidden total whose line would be complete is accompanied by another hidden member', () => {
    const t = suppress([
      [2, 7],
      [6, 9],
    ]);
    for (const line of [...grid(t), ...grid(t)[0].map((_, j) => grid(t).map((r) => r[j]))]) {
      expect(line.filter(isHidden).length === 0 || line.filter(isHidden).length >= 2).toBe(true);
    }
  });

  it('no row or column (totals included) ever has exactly one hidden member', () => {
    const r = rng(42);
    for (let n = 0; n < 2000; n++) {
      const R = 1 + Math.floor(r() * 6);
      const C = 1 + Math.floor(r() * 6);
      const counts = Array.from({ length: R }, () => Array.from({ length: C }, () => (r() < 0.3 ? 0 : r() < 0.5 ? 1 + Math.floor(r() * 4) : Math.floor(r() * 60))));
      const g = grid(suppress(counts));
      for (const line of lines(R, C)) {
        const hidden = line.filter(([i, j]) => isHidden(g[i][j])).length;
        expect(hidden, JSON.stringify(counts)).not.toBe(1);
      }
    }
  });

  it('what is shown is true: shown cells and totals equal the real counts, every 1–4 is "<5", no 0 is hidden, "*" is 5 or more', () => {
    const r = rng(7);
    for (let n = 0; n < 500; n++) {
      const R = 1 + Math.floor(r() * 5);
      const C = 1 + Math.floor(r() * 5);
      const counts = Array.from({ length: R }, () => Array.from({ length: C }, () => Math.floor(r() * (r() < 0.5 ? 6 : 40))));
      const t = suppress(counts);
      if (t.withheld) continue;
      const g = grid(t);
      const tg = trueGrid(counts);
      g.forEach((row, i) =>
        row.forEach((v, j) => {
          if (typeof v === 'number') expect(v).toBe(tg[i][j]);
          if (tg[i][j] >= 1 && tg[i][j] <= 4) expect(v).toBe(SMALL);
          if (tg[i][j] === 0) expect(v).toBe(0);
          if (v === HIDDEN) expect(tg[i][j]).toBeGreaterThanOrEqual(5);
        }),
      );
    }
  });
});

describe('no suppressed cell can be recovered from the published table', () => {
  it('by subtraction from any published row or column total (every line)', () => {
    const r = rng(2026);
    for (let n = 0; n < 1000; n++) {
      const R = 1 + Math.floor(r() * 5);
      const C = 1 + Math.floor(r() * 5);
      const counts = Array.from({ length: R }, () => Array.from({ length: C }, () => (r() < 0.35 ? 0 : r() < 0.5 ? 1 + Math.floor(r() * 4) : 5 + Math.floor(r() * 30))));
      const t = suppress(counts);
      const g = grid(t);
      const tg = trueGrid(counts);
      for (const line of lines(R, C)) {
        const hidden = line.filter(([i, j]) => isHidden(g[i][j]));
        const total = line[line.length - 1];
        if (hidden.length === 1) {
          throw new Error(`line with one hidden member ${JSON.stringify(counts)}`);
        }
        // a published total minus the published cells gives only the sum of two or more hidden cells
        if (!isHidden(g[total[0]][total[1]]) && hidden.length > 0) {
          const shown = line.slice(0, -1).reduce((s, [i, j]) => s + (isHidden(g[i][j]) ? 0 : (g[i][j] as number)), 0);
          const rest = (g[total[0]][total[1]] as number) - shown;
          expect(rest).toBe(hidden.reduce((s, [i, j]) => s + tg[i][j], 0));
          expect(hidden.length).toBeGreaterThanOrEqual(2);
        }
      }
    }
  });

  it('nor by solving all rows and columns together with what "<5" and "*" tell (exhaustive search, small tables)', () => {
    const r = rng(99);
    const failures: string[] = [];
    for (let n = 0; n < 600; n++) {
      const R = 1 + Math.floor(r() * 3);
      const C = 1 + Math.floor(r() * 4);
      const counts = Array.from({ length: R }, () => Array.from({ length: C }, () => (r() < 0.3 ? 0 : r() < 0.55 ? 1 + Math.floor(r() * 4) : 5 + Math.floor(r() * 8))));
      const rec = recoverable(suppress(counts), trueGrid(counts));
      if (rec.length) failures.push(`${JSON.stringify(counts)} → ${rec.join(' ')}`);
    }
    expect(failures).toEqual([]);
  });

  it('a table no choice can protect is withheld: only its grand total is shown', () => {
    const t = suppress([
      [1, 1],
      [1, 1],
    ]);
    expect(t.withheld).toBe(true);
    expect(t.cells).toEqual([
      [HIDDEN, HIDDEN],
      [HIDDEN, HIDDEN],
    ]);
    expect(t.rowTotals).toEqual([HIDDEN, HIDDEN]);
    expect(t.columnTotals).toEqual([HIDDEN, HIDDEN]);
    expect(t.total).toBe(SMALL);
  });

  it('a national table (25 provinces × 3 sexes) with many small cells is protected, exactly', () => {
    const r = rng(5);
    for (let n = 0; n < 20; n++) {
      const counts = Array.from({ length: 25 }, () => Array.from({ length: 3 }, () => (r() < 0.3 ? 0 : r() < 0.4 ? 1 + Math.floor(r() * 4) : 5 + Math.floor(r() * 200))));
      const t = suppress(counts);
      const g = grid(t);
      for (const line of lines(25, 3)) expect(line.filter(([i, j]) => isHidden(g[i][j])).length).not.toBe(1);
    }
  });

  it('the documented examples are not recoverable', () => {
    for (const counts of [[[4, 4, 0, 9]], [[3, 12, 40], [20, 30, 50]], [[3, 0, 0], [10, 20, 30]], [[1, 1], [1, 1]], [[2, 7], [6, 9]]]) {
      expect(recoverable(suppress(counts), trueGrid(counts)), JSON.stringify(counts)).toEqual([]);
    }
  });
});
