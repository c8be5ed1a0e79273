/**
 * Small-cell suppression of a table of counts of people (BRIEF rule 3), for every aggregate of health data that
 * leaves the recording organisation. Pure.
 *
 * The table is its cells plus its margins: a total per row, per column, and the grand total. Rules:
 *  - Primary: every count 1–4 (cells and totals alike) is shown as "<5". Zero stays 0 (zeros are never hidden).
 *  - Secondary: a row or column (its cells and its total) with exactly one hidden member would let that member be
 *    recovered by subtraction, so one more member is hidden: the smallest non-zero shown cell of the line, or — when
 *    the line has no such cell — its total. Secondary hidden members are shown as "*" (never "<5": their value is 5
 *    or more, and the reader knows it).
 *  - A line with two or more hidden members can still give them away when their known sum sits at an end of the
 *    range they could take (two "<5" cells that must add up to 8 are both 4; a "<5" cell equal to a hidden total of
 *    which it is the only non-zero part is no problem, the value stays unknown). Such a line also gets one more hidden
 *    member, chosen the same way.
 *  - Across lines: an exact check (see `pinned` below) finds any hidden member that a reader could still recover by
 *    combining every row and column with what "<5" (1–4) and "*" (5 or more) tell; one more cell of its row or column
 *    is then hidden (the smallest non-zero shown one, else a shown total, else the smallest shown member anywhere).
 *  - Repeated until nothing changes. A table that no choice can protect (four cells of 1 and a grand total under 5)
 *    is `withheld`: every cell and margin is hidden, only the grand total is shown (as "<5" when small).
 */

export const SMALL = '<5' as const;
export const HIDDEN = '*' as const;
export type Published = number | typeof SMALL | typeof HIDDEN;

export interface SuppressedTable {
  cells: Published[][];
  rowTotals: Published[];
  columnTotals: Published[];
  total: Published;
  /** True when no choice of hidden cells protects the table: then only the grand total is shown. */
  withheld: boolean;
}

const enum State {
  Shown = 0,
  Primary = 1,
  Secondary = 2,
}

const isSmall = (n: number) => n >= 1 && n <= 4;

/** Bounds a reader can infer for a hidden member: "<5" is 1–4, "*" is 5 or more. */
function bounds(state: State): [number, number] {
  return state === State.Primary ? [1, 4] : [5, Infinity];
}

/**
 * Suppress a table of counts (rows × columns, non-negative integers). Totals are computed from the cells.
 * Returns what may be published.
 */
export function suppress(counts: readonly (readonly number[])[]): SuppressedTable {
  const R = counts.length;
  const C = R ? counts[0].length : 0;
  for (const row of counts) {
    if (row.length !== C) throw new Error('suppress: every row needs the same number of columns');
    for (const v of row) if (!Number.isInteger(v) || v < 0) throw new Error('suppress: counts are non-negative integers');
  }
  // The full grid with margins: row R holds the column totals, column C the row totals, [R][C] the grand total.
  const g: number[][] = Array.from({ length: R + 1 }, (_, i) => Array.from({ length: C + 1 }, (_, j) => (i < R && j < C ? counts[i][j] : 0)));
  for (let i = 0; i < R; i++)
    for (let j = 0; j < C; j++) {
      g[i][C] += g[i][j];
      g[R][j] += g[i][j];
      g[R][C] += g[i][j];
    }
  const st: State[][] = g.map((row) => row.map((v) => (isSmall(v) ? State.Primary : State.Shown)));

  // Every line as a list of [row, col] members; the last member is the line's total.
  const lines: [number, number][][] = [];
  for (let i = 0; i <= R; i++) lines.push(Array.from({ length: C + 1 }, (_, j) => [i, j] as [number, number]));
  for (let j = 0; j <= C; j++) lines.push(Array.from({ length: R + 1 }, (_, i) => [i, j] as [number, number]));

  const exposed = (line: [number, number][]): boolean => {
    const hidden = line.filter(([i, j]) => st[i][j] !== State.Shown);
    if (hidden.length === 0) return false;
    if (hidden.length === 1) return true;
    // cells − total = 0 over the line: the hidden part must equal minus the shown part.
    let known = 0;
    let lo = 0;
    let hi = 0;
    line.forEach(([i, j], k) => {
      const sign = k === line.length - 1 ? -1 : 1;
      if (st[i][j] === State.Shown) known += sign * g[i][j];
      else {
        const [a, b] = bounds(st[i][j]);
        if (sign > 0) {
          lo += a;
          hi += b;
        } else {
          lo -= b;
          hi -= a;
        }
      }
    });
    const target = -known;
    return target === lo || target === hi;
  };

  const hideOneMore = (line: [number, number][]): boolean => {
    let best: [number, number] | null = null;
    for (const [i, j] of line.slice(0, -1)) {
      if (st[i][j] === State.Shown && g[i][j] > 0 && (!best || g[i][j] < g[best[0]][best[1]])) best = [i, j];
    }
    if (!best) {
      const [ti, tj] = line[line.length - 1];
      if (st[ti][tj] === State.Shown && g[ti][tj] > 0) best = [ti, tj];
    }
    if (!best) return false;
    st[best[0]][best[1]] = State.Secondary;
    return true;
  };

  /**
   * Exact check of what a reader can infer. Each member of the grid is an edge between its row line and its column
   * line; with y = ±x (cells +, row and column totals −, grand total +) every line says "the y of its members add up
   * to a constant", so two tables that publish the same thing differ by a circulation on the hidden edges: a sum of
   * cycles alternating +1/−1. A hidden member can take another value iff some cycle through it can be walked one step
   * while every hidden member on it stays within what its mark allows ("<5": 1–4, "*": 5 or more). Returns the first
   * hidden member with no such cycle (it would be recovered), or null.
   */
  const pinned = (): [number, number] | null => {
    const nodes = R + 1 + C + 1; // row lines 0..R, then column lines
    const sign = (i: number, j: number) => ((i === R) === (j === C) ? 1 : -1);
    const hiddenEdges: { i: number; j: number; up: boolean; down: boolean }[] = [];
    for (let i = 0; i <= R; i++)
      for (let j = 0; j <= C; j++) {
        if (st[i][j] === State.Shown) continue;
        const [lo, hi] = bounds(st[i][j]);
        hiddenEdges.push({ i, j, up: g[i][j] + 1 <= hi, down: g[i][j] - 1 >= lo });
      }
    // arcs: δy = +1 on an edge walks row → column, δy = −1 walks column → row
    const arcs = (skip: number) => {
      const out: number[][] = Array.from({ length: nodes }, () => []);
      hiddenEdges.forEach((e, k) => {
        if (k === skip) return;
        const r = e.i;
        const c = R + 1 + e.j;
        const s = sign(e.i, e.j);
        const plusY = s > 0 ? e.up : e.down; // δx = s·δy
        const minusY = s > 0 ? e.down : e.up;
        if (plusY) out[r].push(c);
        if (minusY) out[c].push(r);
      });
      return out;
    };
    const reach = (out: number[][], from: number, to: number) => {
      const seen = new Uint8Array(nodes);
      const stack = [from];
      seen[from] = 1;
      while (stack.length) {
        const u = stack.pop()!;
        if (u === to) return true;
        for (const v of out[u]) if (!seen[v]) (seen[v] = 1), stack.push(v);
      }
      return false;
    };
    for (let k = 0; k < hiddenEdges.length; k++) {
      const e = hiddenEdges[k];
      const out = arcs(k);
      const r = e.i;
      const c = R + 1 + e.j;
      const s = sign(e.i, e.j);
      const plusY = s > 0 ? e.up : e.down;
      const minusY = s > 0 ? e.down : e.up;
      // δy = +1 walks r → c and must come back c ⇝ r; δy = −1 walks c → r and must come back r ⇝ c
      const movable = (plusY && reach(out, c, r)) || (minusY && reach(out, r, c));
      if (!movable) return [e.i, e.j];
    }
    return null;
  };

  let withheld = false;
  for (let rounds = 0; rounds < 10_000; rounds++) {
    let changed = false;
    for (const line of lines) if (exposed(line) && hideOneMore(line)) changed = true;
    if (changed) continue;
    const p = pinned();
    if (!p) break;
    // hide one more member of a line through the recovered one: the smallest non-zero shown cell of its row or column
    const through = lines.filter((line) => line.some(([i, j]) => i === p[0] && j === p[1]));
    const best = through
      .map((line) => {
        const c = line.slice(0, -1).filter(([i, j]) => st[i][j] === State.Shown && g[i][j] > 0);
        return c.sort((x, y) => g[x[0]][x[1]] - g[y[0]][y[1]])[0];
      })
      .filter(Boolean)
      .sort((x, y) => g[x[0]][x[1]] - g[y[0]][y[1]])[0];
    const totals = through.map((line) => line[line.length - 1]).filter(([i, j]) => st[i][j] === State.Shown && g[i][j] > 0);
    let anywhere: [number, number] | undefined;
    for (let i = 0; i <= R; i++)
      for (let j = 0; j <= C; j++) if (st[i][j] === State.Shown && g[i][j] > 0 && (!anywhere || g[i][j] < g[anywhere[0]][anywhere[1]])) anywhere = [i, j];
    const pick = best ?? totals[0] ?? anywhere;
    if (!pick) {
      withheld = true;
      break;
    }
    st[pick[0]][pick[1]] = State.Secondary;
  }

  if (withheld) {
    // The rules cannot protect this table (for example four cells of 1 with a grand total under 5): only the grand
    // total is published.
    return {
      cells: Array.from({ length: R }, () => Array.from({ length: C }, () => HIDDEN)),
      rowTotals: Array.from({ length: R }, () => HIDDEN),
      columnTotals: Array.from({ length: C }, () => HIDDEN),
      total: suppressCount(g[R][C]),
      withheld: true,
    };
  }

  const pub = (i: number, j: number): Published => (st[i][j] === State.Primary ? SMALL : st[i][j] === State.Secondary ? HIDDEN : g[i][j]);
  return {
    cells: Array.from({ length: R }, (_, i) => Array.from({ length: C }, (_, j) => pub(i, j))),
    rowTotals: Array.from({ length: R }, (_, i) => pub(i, C)),
    columnTotals: Array.from({ length: C }, (_, j) => pub(R, j)),
    total: pub(R, C),
    withheld: false,
  };
}

/** Suppress a single count (no margins to protect): 1–4 → "<5". */
export function suppressCount(n: number): Published {
  return isSmall(n) ? SMALL : n;
}

export const isHidden = (p: Published): boolean => p === SMALL || p === HIDDEN;
