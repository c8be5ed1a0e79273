/**
 * The national education view (docs/treatment-api.md, "Education sessions"), shaped in one place. Pure: the same
 * functions serve the API, its CSV, the web app and the tests.
 *
 * It is asked for one fixed reporting period (src/core/periods.ts), never a date range, and never a single day. Its
 * series (`educationSeries`) is the period's time line where its parts are released periods — the quarters of a
 * year, the months of a quarter, the campaign weeks of a campaign to date — else the period alone (a month, an ISO
 * week, a campaign week: days are never released). The period is exactly the sum of its series, so the series, its
 * totals and the period agree and no figure is the difference of two others.
 *
 * Sessions are counted exactly (a session is not a person). People reached are counts of people from health-sector
 * prevention work: every one of them is published through the disclosure control (src/core/disclosure.ts) as the
 * measure `EDUCATION_PEOPLE_SPEC` — "<5" for 1–4, counts of 5 or more rounded to base 5, "*" where a line would pin
 * a small part — by the server's `release()` (src/server/disclosure/release.ts).
 */
import { toCsv } from '../csv.js';
import { cellKey, isCrossedPeriod, rowCells, type CellRef, type MeasureSpec, type Shown, type ShownTable } from '../disclosure.js';
import { PROVINCE_CODES } from '../geography.js';
import { releasedSeries, type Period } from '../periods.js';
import { PARTICIPANT_AGE_BANDS, PARTICIPANT_SEXES, SESSION_SETTINGS, SESSION_TOPICS } from '../education.js';

/** People reached by prevention sessions: participants of sessions not voided (a person at two sessions counts twice). */
export const EDUCATION_PEOPLE = 'education_people_reached';

export const EDUCATION_PEOPLE_SPEC: MeasureSpec = {
  id: EDUCATION_PEOPLE,
  dims: [
    { id: 'province', values: PROVINCE_CODES },
    { id: 'setting', values: SESSION_SETTINGS },
    { id: 'sex', values: PARTICIPANT_SEXES },
    { id: 'age_band', values: PARTICIPANT_AGE_BANDS },
  ],
  crosses: [
    ['province', 'sex'],
    ['setting', 'sex'],
    ['age_band', 'sex'],
  ],
  // participants of the sessions of a period are the sum of those of its parts
  additiveInTime: true,
};

/** The education pillar's measures of people, by id (for `release()`). */
export const EDUCATION_SPECS: ReadonlyMap<string, MeasureSpec> = new Map([[EDUCATION_PEOPLE, EDUCATION_PEOPLE_SPEC]]);

/** The series of a period (src/core/periods.ts `releasedSeries`: days are never released). */
export const educationSeries = releasedSeries;

const cell = (period: Period, filter: Record<string, string> = {}): CellRef => ({ measure: EDUCATION_PEOPLE, period, filter });

/** A two-way table as published (src/core/disclosure.ts). */
export type { ShownTable };

/**
 * The cells of a row × column table within a period (cells, row totals, column totals, total); no cells, only the
 * margins, for a period released one dimension at a time (a week: src/core/disclosure.ts CROSSED_PERIOD_TYPES).
 */
function tableCells(period: Period, rowDim: string, rows: readonly string[], colDim: string, cols: readonly string[]) {
  const crossed = isCrossedPeriod(period);
  return {
    crossed,
    grid: rows.map((r) => (crossed ? cols.map((c) => cell(period, { [rowDim]: r, [colDim]: c })) : [])),
    rowTotals: rows.map((r) => cell(period, { [rowDim]: r })),
    columnTotals: cols.map((c) => cell(period, { [colDim]: c })),
    total: cell(period),
  };
}

/** The province × part table: per province and part, per province over the period, per part nationally, the total. */
function provinceCells(period: Period, parts: readonly Period[]) {
  return {
    // one dimension per cell: each part's province
    crossed: true,
    grid: PROVINCE_CODES.map((p) => parts.map((part) => cell(part, { province: p }))),
    rowTotals: PROVINCE_CODES.map((p) => cell(period, { province: p })),
    columnTotals: parts.map((part) => cell(part)),
    total: cell(period),
  };
}

type Cells = ReturnType<typeof tableCells>;
const flat = (t: Cells) => [...t.grid.flat(), ...t.rowTotals, ...t.columnTotals, t.total];

/** Every cell of people reached that the view publishes for a period and its series. */
export function educationCells(period: Period, parts: readonly Period[]): CellRef[] {
  const all = [
    ...flat(provinceCells(period, parts)),
    ...flat(tableCells(period, 'setting', SESSION_SETTINGS, 'sex', PARTICIPANT_SEXES)),
    ...flat(tableCells(period, 'age_band', PARTICIPANT_AGE_BANDS, 'sex', PARTICIPANT_SEXES)),
  ];
  const seen = new Map<string, CellRef>();
  for (const c of all) seen.set(cellKey(c), c);
  return [...seen.values()];
}

/** Sessions (exact) by part of the series (`Period.key`), province and topic. */
export interface SessionCountRow {
  part: string;
  provinceCode: string;
  topic: string;
  sessions: number;
}

export interface EducationNational {
  /** The period asked for. */
  period: Period;
  /** Its series (its time line): the columns of `sessions` and `people`. */
  parts: Period[];
  provinces: string[];
  /** province × part, exact */
  sessions: number[][];
  sessionsTotal: number;
  /** per SESSION_TOPICS, exact */
  sessionsByTopic: number[];
  /** province × part: people reached, published (row totals: each province over the period; column totals: each part nationally) */
  people: ShownTable;
  /** SESSION_SETTINGS × PARTICIPANT_SEXES, published */
  bySetting: ShownTable;
  /** PARTICIPANT_AGE_BANDS × PARTICIPANT_SEXES, published */
  byAgeBand: ShownTable;
}

export const EDUCATION_CSV_TABLES = ['province', 'setting', 'age'] as const;
export type EducationCsvTable = (typeof EDUCATION_CSV_TABLES)[number];

const grid = (rows: number, columns: number) => Array.from({ length: rows }, () => new Array<number>(columns).fill(0));

/**
 * Build the view from the exact session counts and the published people counts (`shown`, by `cellKey`, as
 * `release()` gives them for `educationCells(period, parts)`). Session rows of an unknown part, province or topic are
 * ignored.
 */
export function buildEducationNational(period: Period, parts: readonly Period[], sessionRows: readonly SessionCountRow[], shown: ReadonlyMap<string, Shown>): EducationNational {
  const provinces = [...PROVINCE_CODES];
  const p = new Map(provinces.map((c, i) => [c, i]));
  const part = new Map(parts.map((x, j) => [x.key, j]));
  const topics = new Map<string, number>(SESSION_TOPICS.map((c, i) => [c, i]));
  const sessions = grid(provinces.length, parts.length);
  const byTopic = new Array<number>(SESSION_TOPICS.length).fill(0);
  let sessionsTotal = 0;
  for (const r of sessionRows) {
    const i = p.get(r.provinceCode);
    const j = part.get(r.part);
    const k = topics.get(r.topic);
    if (i === undefined || j === undefined || k === undefined) continue;
    sessions[i][j] += r.sessions;
    byTopic[k] += r.sessions;
    sessionsTotal += r.sessions;
  }
  const get = (c: CellRef): Shown => {
    const v = shown.get(cellKey(c));
    if (v === undefined) throw new Error(`buildEducationNational: ${cellKey(c)} was not released`);
    return v;
  };
  const table = (t: Cells, rows: readonly string[], columns: readonly string[]): ShownTable => ({
    rows: [...rows],
    columns: [...columns],
    cells: t.grid.map((r) => r.map(get)),
    rowTotals: t.rowTotals.map(get),
    columnTotals: t.columnTotals.map(get),
    total: get(t.total),
    withheld: false,
    crossed: t.crossed,
  });
  return {
    period,
    parts: [...parts],
    provinces,
    sessions,
    sessionsTotal,
    sessionsByTopic: byTopic,
    people: table(
      provinceCells(period, parts),
      provinces,
      parts.map((x) => x.key),
    ),
    bySetting: table(tableCells(period, 'setting', SESSION_SETTINGS, 'sex', PARTICIPANT_SEXES), SESSION_SETTINGS, PARTICIPANT_SEXES),
    byAgeBand: table(tableCells(period, 'age_band', PARTICIPANT_AGE_BANDS, 'sex', PARTICIPANT_SEXES), PARTICIPANT_AGE_BANDS, PARTICIPANT_SEXES),
  };
}

/** One table of the national view as published (CSV). */
export function educationNationalCsv(n: EducationNational, table: EducationCsvTable): string {
  if (table === 'province') {
    // one row per province and part of the series, then each province over the period ('all'), each part
    // nationally, and the total
    const rows: unknown[][] = [];
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const all = n.period.spec;
    // a period that is its own series (a month, a week): its rows are not repeated as the period's
    const own = n.parts.length === 1 && n.parts[0].key === n.period.key;
    n.provinces.forEach((code, i) => n.parts.forEach((w, j) => rows.push([code, w.spec, w.from, w.to, n.sessions[i][j], n.people.cells[i][j]])));
    if (!own) n.provinces.forEach((code, i) => rows.push([code, all, n.period.from, n.period.to, sum(n.sessions[i]), n.people.rowTotals[i]]));
    if (!own) n.parts.forEach((w, j) => rows.push(['all', w.spec, w.from, w.to, sum(n.sessions.map((r) => r[j])), n.people.columnTotals[j]]));
    rows.push(['all', all, n.period.from, n.period.to, n.sessionsTotal, n.people.total]);
    return toCsv(['province_code', 'period', 'from', 'to', 'sessions', 'people_reached'], rows);
  }
  const t = table === 'setting' ? n.bySetting : n.byAgeBand;
  const keys: readonly string[] = table === 'setting' ? SESSION_SETTINGS : PARTICIPANT_AGE_BANDS;
  return toCsv(
    [table === 'setting' ? 'setting' : 'age_band', ...PARTICIPANT_SEXES, 'total'],
    // a week's table has no cells (released one dimension at a time): its CSV has the margins only, the cells empty
    [...keys.map((k, i) => [k, ...rowCells(t, i), t.rowTotals[i]]), ['total', ...t.columnTotals, t.total]],
  );
}
