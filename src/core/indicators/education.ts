/**
 * The national education view (docs/treatment-api.md, "Education sessions"), shaped in one place from grouped
 * counts (the server's store does the GROUP BYs). Pure: the same functions serve the API, its CSV and the tests.
 *
 * Sessions are counted exactly (a session is not a person). People reached are counts of people leaving the
 * recording organisation: every table of them goes through suppress() (src/core/suppression.ts).
 */
import { addDays, daysBetween, type DateRange } from '../dates.js';
import { toCsv } from '../csv.js';
import { PROVINCE_CODES } from '../geography.js';
import { PARTICIPANT_AGE_BANDS, PARTICIPANT_SEXES, SESSION_SETTINGS, SESSION_TOPICS } from '../education.js';
import { suppress, type SuppressedTable } from '../suppression.js';

/** Sessions counted by province, week (0-based index of the 7-day bucket from range.from), setting and topic. */
export interface SessionCountRow {
  provinceCode: string;
  week: number;
  setting: string;
  topic: string;
  sessions: number;
}

/** People reached (sum of participant counts) by province, week, setting, sex and age band. */
export interface PeopleCountRow {
  provinceCode: string;
  week: number;
  setting: string;
  sex: string;
  ageBand: string;
  n: number;
}

export interface EducationNational {
  range: DateRange;
  weeks: DateRange[];
  provinces: string[];
  /** province × week, exact */
  sessions: number[][];
  sessionsTotal: number;
  /** province × week: people reached, suppressed */
  people: SuppressedTable;
  /** SESSION_SETTINGS × PARTICIPANT_SEXES, suppressed */
  bySetting: SuppressedTable;
  /** PARTICIPANT_AGE_BANDS × PARTICIPANT_SEXES, suppressed */
  byAgeBand: SuppressedTable;
  /** per SESSION_TOPICS, exact */
  sessionsByTopic: number[];
}

export const EDUCATION_CSV_TABLES = ['province', 'setting', 'age'] as const;
export type EducationCsvTable = (typeof EDUCATION_CSV_TABLES)[number];

/** 7-day buckets starting at `from`; the last one may be shorter and ends at `to`. */
export function educationWeeks(range: DateRange): DateRange[] {
  const out: DateRange[] = [];
  for (let from = range.from; from <= range.to; from = addDays(from, 7)) {
    const end = addDays(from, 6);
    out.push({ from, to: end < range.to ? end : range.to });
  }
  return out;
}

/** The 0-based week bucket of a date in the range (the server computes the same in SQL). */
export function weekIndex(range: DateRange, date: string): number {
  return Math.floor(daysBetween(range.from, date) / 7);
}

const grid = (rows: number, columns: number) => Array.from({ length: rows }, () => new Array<number>(columns).fill(0));

/** Build the national view from the grouped counts. Rows with a code or week outside the range are ignored. */
export function buildEducationNational(range: DateRange, sessionRows: readonly SessionCountRow[], peopleRows: readonly PeopleCountRow[]): EducationNational {
  const weeks = educationWeeks(range);
  const provinces = [...PROVINCE_CODES];
  const p = new Map(provinces.map((c, i) => [c, i]));
  const settings = new Map<string, number>(SESSION_SETTINGS.map((c, i) => [c, i]));
  const topics = new Map<string, number>(SESSION_TOPICS.map((c, i) => [c, i]));
  const sexes = new Map<string, number>(PARTICIPANT_SEXES.map((c, i) => [c, i]));
  const bands = new Map<string, number>(PARTICIPANT_AGE_BANDS.map((c, i) => [c, i]));
  const inWeeks = (w: number) => Number.isInteger(w) && w >= 0 && w < weeks.length;

  const sessions = grid(provinces.length, weeks.length);
  const byTopic = new Array<number>(SESSION_TOPICS.length).fill(0);
  let sessionsTotal = 0;
  for (const r of sessionRows) {
    const i = p.get(r.provinceCode);
    const k = topics.get(r.topic);
    if (i === undefined || k === undefined || !inWeeks(r.week)) continue;
    sessions[i][r.week] += r.sessions;
    byTopic[k] += r.sessions;
    sessionsTotal += r.sessions;
  }

  const people = grid(provinces.length, weeks.length);
  const setting = grid(SESSION_SETTINGS.length, PARTICIPANT_SEXES.length);
  const age = grid(PARTICIPANT_AGE_BANDS.length, PARTICIPANT_SEXES.length);
  for (const r of peopleRows) {
    const i = p.get(r.provinceCode);
    const s = settings.get(r.setting);
    const x = sexes.get(r.sex);
    const b = bands.get(r.ageBand);
    if (i === undefined || s === undefined || x === undefined || b === undefined || !inWeeks(r.week)) continue;
    people[i][r.week] += r.n;
    setting[s][x] += r.n;
    age[b][x] += r.n;
  }

  return {
    range,
    weeks,
    provinces,
    sessions,
    sessionsTotal,
    people: suppress(people),
    bySetting: suppress(setting),
    byAgeBand: suppress(age),
    sessionsByTopic: byTopic,
  };
}

/** One table of the national view as published (CSV). */
export function educationNationalCsv(n: EducationNational, table: EducationCsvTable): string {
  if (table === 'province') {
    // one row per province and week, then each province's total ('all' weeks), each week's national total, and
    // the grand total
    const rows: unknown[][] = [];
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    n.provinces.forEach((code, i) => n.weeks.forEach((w, j) => rows.push([code, j + 1, w.from, w.to, n.sessions[i][j], n.people.cells[i][j]])));
    n.provinces.forEach((code, i) => rows.push([code, 'all', n.range.from, n.range.to, sum(n.sessions[i]), n.people.rowTotals[i]]));
    n.weeks.forEach((w, j) => rows.push(['all', j + 1, w.from, w.to, sum(n.sessions.map((r) => r[j])), n.people.columnTotals[j]]));
    rows.push(['all', 'all', n.range.from, n.range.to, n.sessionsTotal, n.people.total]);
    return toCsv(['province_code', 'week', 'from', 'to', 'sessions', 'people_reached'], rows);
  }
  const t = table === 'setting' ? n.bySetting : n.byAgeBand;
  const keys: readonly string[] = table === 'setting' ? SESSION_SETTINGS : PARTICIPANT_AGE_BANDS;
  return toCsv(
    [table === 'setting' ? 'setting' : 'age_band', ...PARTICIPANT_SEXES, 'total'],
    [...keys.map((k, i) => [k, ...t.cells[i], t.rowTotals[i]]), ['total', ...t.columnTotals, t.total]],
  );
}
