/**
 * Bulk import of enforcement cases from CSV (pure validation; the server writes).
 *
 * cases.csv — one row per arrested person; the case's columns repeat on each of its rows (a case with nobody
 * arrested has one row with the person columns empty). Assets may be given on one row of the case and left empty
 * on the others, or repeated with the same values.
 *   unit_reference,occurred_on,reported_on,province_code,district_code,commune_code,case_type,
 *   person_role,person_sex,person_age_band,person_nationality,person_disposition,
 *   vehicles,motorcycles,phones,cash_khr,cash_usd,weapons
 * seizures.csv (optional) — one row per seized drug:
 *   unit_reference,drug,quantity,unit
 * Codes are the ones in src/core/enforcement.ts; dates YYYY-MM-DD; numbers in Latin or Khmer digits.
 */
import { parseCsv, CsvSyntaxError, toCsv } from './csv.js';
import {
  AGE_BANDS,
  DISPOSITIONS,
  DRUGS,
  PERSON_ROLES,
  QUANTITY_UNITS,
  SEXES,
  caseInput,
  normaliseDigits,
  unitReference,
  type CaseInput,
} from './enforcement.js';
import { COUNTRY_SET } from './countries.js';

export const CASE_COLUMNS = [
  'unit_reference',
  'occurred_on',
  'reported_on',
  'province_code',
  'district_code',
  'commune_code',
  'case_type',
  'person_role',
  'person_sex',
  'person_age_band',
  'person_nationality',
  'person_disposition',
  'vehicles',
  'motorcycles',
  'phones',
  'cash_khr',
  'cash_usd',
  'weapons',
] as const;
export const SEIZURE_COLUMNS = ['unit_reference', 'drug', 'quantity', 'unit'] as const;

export interface ImportProblem {
  file: 'cases' | 'seizures';
  /** As a spreadsheet shows it: the header is row 1 (0 = the whole file). */
  row: number;
  column: string;
  message: string;
}

export interface ImportedCase {
  input: CaseInput;
  /** The first row of the case in cases.csv, for messages that come later (e.g. unknown district). */
  row: number;
}

export function formatImportProblem(p: ImportProblem): string {
  const where = p.row ? `row ${p.row}, ${p.column}` : p.column;
  return `${p.file === 'seizures' ? 'seizures ' : ''}${where}: ${p.message}`;
}

const PERSON_COLS = ['person_role', 'person_sex', 'person_age_band', 'person_nationality', 'person_disposition'] as const;
const CASE_COLS = ['occurred_on', 'reported_on', 'province_code', 'district_code', 'commune_code', 'case_type'] as const;
const ASSET_COLS = ['vehicles', 'motorcycles', 'phones', 'cash_khr', 'cash_usd', 'weapons'] as const;

function header(file: ImportProblem['file'], table: ReturnType<typeof parseCsv>, expected: readonly string[], problems: ImportProblem[]): Record<string, number> | null {
  const missing = expected.filter((c) => !table.header.includes(c));
  const unknown = table.header.filter((c) => !expected.includes(c));
  if (missing.length || unknown.length) {
    const msg = [missing.length ? `missing column(s) ${missing.join(', ')}` : '', unknown.length ? `unknown column(s) ${unknown.join(', ')} are not accepted` : '']
      .filter(Boolean)
      .join('; ');
    problems.push({ file, row: 1, column: 'header', message: msg });
    return null;
  }
  return Object.fromEntries(expected.map((c) => [c, table.header.indexOf(c)]));
}

function parse(file: ImportProblem['file'], text: string, problems: ImportProblem[]) {
  try {
    return parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) {
      problems.push({ file, row: e.line, column: 'file', message: e.message });
      return null;
    }
    throw e;
  }
}

export interface CaseImportResult {
  cases: ImportedCase[];
  problems: ImportProblem[];
  rows: number;
}

export const MAX_IMPORT_ROWS = 100_000;

export function validateCaseImport(casesText: string, seizuresText: string | undefined, today: string): CaseImportResult {
  const problems: ImportProblem[] = [];
  const schema = caseInput(today);
  const casesTable = parse('cases', casesText, problems);
  const seizuresTable = seizuresText?.trim() ? parse('seizures', seizuresText, problems) : null;
  if (!casesTable) return { cases: [], problems, rows: 0 };
  const ci = header('cases', casesTable, CASE_COLUMNS, problems);
  const si = seizuresTable ? header('seizures', seizuresTable, SEIZURE_COLUMNS, problems) : null;
  if (!ci || (seizuresTable && !si)) return { cases: [], problems, rows: casesTable.rows.length };
  if (casesTable.rows.length === 0) return { cases: [], problems: [{ file: 'cases', row: 0, column: 'file', message: 'has no data rows' }], rows: 0 };
  if (casesTable.rows.length > MAX_IMPORT_ROWS)
    return { cases: [], problems: [{ file: 'cases', row: 0, column: 'file', message: `has more than ${MAX_IMPORT_ROWS} rows; split it` }], rows: casesTable.rows.length };

  interface Draft {
    row: number;
    fields: Record<string, string>;
    assets: Record<string, string>;
    persons: Record<string, string>[];
    seizures: { drug: string; quantity: number; unit: string }[];
    bad: boolean;
  }
  const drafts = new Map<string, Draft>();

  for (const [i, { cells }] of casesTable.rows.entries()) {
    const row = i + 2; // as a spreadsheet shows it
    const bad = (column: string, message: string) => problems.push({ file: 'cases', row, column, message });
    if (cells.length !== casesTable.header.length) {
      bad('row', `has ${cells.length} cells, expected ${casesTable.header.length}`);
      continue;
    }
    const get = (c: string) => normaliseDigits((cells[ci[c]] ?? '').trim());
    const ref = (cells[ci.unit_reference] ?? '').trim();
    const r = unitReference.safeParse(ref);
    if (!r.success) {
      bad('unit_reference', r.error.issues[0].message);
      continue;
    }
    let d = drafts.get(ref);
    const fields = Object.fromEntries(CASE_COLS.map((c) => [c, get(c)]));
    if (!d) {
      d = { row, fields, assets: {}, persons: [], seizures: [], bad: false };
      drafts.set(ref, d);
    } else {
      for (const c of CASE_COLS) {
        if (fields[c] !== d.fields[c]) {
          bad(c, `differs from row ${d.row} of the same case (${d.fields[c] || 'empty'})`);
          d.bad = true;
        }
      }
    }
    for (const c of ASSET_COLS) {
      const v = get(c).replace(/[\s,]/g, '');
      if (v === '') continue;
      if (d.assets[c] !== undefined && d.assets[c] !== v) {
        bad(c, `differs from an earlier row of the same case (${d.assets[c]})`);
        d.bad = true;
      } else d.assets[c] = v;
    }
    const person = Object.fromEntries(PERSON_COLS.map((c) => [c, get(c)]));
    const filled = PERSON_COLS.filter((c) => person[c] !== '');
    if (filled.length === 0) continue;
    let ok = true;
    const check = (c: (typeof PERSON_COLS)[number], allowed: readonly string[] | ReadonlySet<string>, msg: string) => {
      const v = c === 'person_nationality' ? person[c].toUpperCase() : person[c];
      const valid = Array.isArray(allowed) ? allowed.includes(v) : (allowed as ReadonlySet<string>).has(v);
      if (!v) {
        bad(c, 'is required when the row describes a person');
        ok = false;
      } else if (!valid) {
        bad(c, msg);
        ok = false;
      }
    };
    check('person_role', PERSON_ROLES, `must be one of ${PERSON_ROLES.join(', ')}`);
    check('person_sex', SEXES, `must be one of ${SEXES.join(', ')}`);
    check('person_age_band', AGE_BANDS, `must be one of ${AGE_BANDS.join(', ')}`);
    check('person_nationality', COUNTRY_SET, 'must be an ISO 3166-1 country code such as KH');
    check('person_disposition', DISPOSITIONS, `must be one of ${DISPOSITIONS.join(', ')}`);
    if (ok) d.persons.push({ ...person, person_nationality: person.person_nationality.toUpperCase() });
    else d.bad = true;
  }

  if (seizuresTable && si) {
    for (const [i, { cells }] of seizuresTable.rows.entries()) {
      const row = i + 2;
      const bad = (column: string, message: string) => problems.push({ file: 'seizures', row, column, message });
      if (cells.length !== seizuresTable.header.length) {
        bad('row', `has ${cells.length} cells, expected ${seizuresTable.header.length}`);
        continue;
      }
      const ref = (cells[si.unit_reference] ?? '').trim();
      const d = drafts.get(ref);
      if (!d) {
        bad('unit_reference', 'is not a case of the cases file');
        continue;
      }
      const drug = (cells[si.drug] ?? '').trim();
      const unit = (cells[si.unit] ?? '').trim();
      const qty = normaliseDigits((cells[si.quantity] ?? '').trim()).replace(/[\s,]/g, '');
      let ok = true;
      if (!(DRUGS as readonly string[]).includes(drug)) {
        bad('drug', `must be one of ${DRUGS.join(', ')}`);
        ok = false;
      }
      if (!(QUANTITY_UNITS as readonly string[]).includes(unit)) {
        bad('unit', `must be one of ${QUANTITY_UNITS.join(', ')}`);
        ok = false;
      }
      if (!/^\d+(\.\d+)?$/.test(qty) || Number(qty) <= 0) {
        bad('quantity', 'must be a number more than 0');
        ok = false;
      } else if (Number(qty) > 1e9) {
        bad('quantity', 'is too large');
        ok = false;
      }
      if (ok) d.seizures.push({ drug, quantity: Number(qty), unit });
      else d.bad = true;
    }
  }

  const cases: ImportedCase[] = [];
  for (const [ref, d] of drafts) {
    // A case with a bad person or seizure row is still checked as a whole, so that every problem shows at once.
    const num = (c: string) => (d.assets[c] === undefined ? 0 : /^\d+(\.\d+)?$/.test(d.assets[c]) ? Number(d.assets[c]) : NaN);
    const candidate = {
      unitReference: ref,
      occurredOn: d.fields.occurred_on,
      reportedOn: d.fields.reported_on,
      provinceCode: d.fields.province_code,
      districtCode: d.fields.district_code || null,
      communeCode: d.fields.commune_code || null,
      caseType: d.fields.case_type,
      persons: d.persons.map((p) => ({
        role: p.person_role,
        sex: p.person_sex,
        ageBand: p.person_age_band,
        nationality: p.person_nationality,
        disposition: p.person_disposition,
      })),
      seizures: d.seizures,
      assets: { vehicles: num('vehicles'), motorcycles: num('motorcycles'), phones: num('phones'), cashKhr: num('cash_khr'), cashUsd: num('cash_usd'), weapons: num('weapons') },
    };
    const res = schema.safeParse(candidate);
    const caseProblems: ImportProblem[] = [];
    if (!res.success) {
      for (const issue of res.error.issues) {
        caseProblems.push({ file: 'cases', row: d.row, column: columnFor(issue.path.map(String)), message: issue.message });
      }
      // The schema's cross-field checks do not run while a field is wrong; this one matters to clerks, so say it anyway.
      if (candidate.reportedOn < candidate.occurredOn && !caseProblems.some((p) => p.column === 'reported_on'))
        caseProblems.push({ file: 'cases', row: d.row, column: 'reported_on', message: 'must not be before the date the case occurred' });
      problems.push(...caseProblems);
    }
    if (d.bad || !res.success) continue;
    cases.push({ input: res.data, row: d.row });
  }
  problems.sort((a, b) => (a.file === b.file ? a.row - b.row : a.file === 'cases' ? -1 : 1));
  return { cases: problems.length ? [] : cases, problems, rows: casesTable.rows.length };
}

function columnFor(path: string[]): string {
  const map: Record<string, string> = {
    occurredOn: 'occurred_on',
    reportedOn: 'reported_on',
    provinceCode: 'province_code',
    districtCode: 'district_code',
    communeCode: 'commune_code',
    caseType: 'case_type',
    cashKhr: 'cash_khr',
    cashUsd: 'cash_usd',
  };
  const last = path[path.length - 1];
  // A problem with the whole list of persons or seizures (too many rows) belongs to the case's reference.
  if ((path[0] === 'persons' || path[0] === 'seizures') && path.length === 1) return 'unit_reference';
  if (path[0] === 'assets') return map[last] ?? last;
  if (path[0] === 'persons') return `person_${last === 'ageBand' ? 'age_band' : last}`;
  return map[path[0]] ?? path[0];
}

/** The template a unit downloads: the header and two example rows of one case, and its seizure. */
export function caseImportTemplate(): { cases: string; seizures: string } {
  return {
    cases: toCsv(
      [...CASE_COLUMNS],
      [
        ['PP-2026-0001', '2026-01-02', '2026-01-02', 'KH-12', '', '', 'trafficking', 'suspected_trafficker', 'male', '25_34', 'KH', 'sent_to_court', '0', '2', '3', '150000', '0', '0'],
        ['PP-2026-0001', '2026-01-02', '2026-01-02', 'KH-12', '', '', 'trafficking', 'alleged_user', 'female', '18_24', 'KH', 'referred_treatment_voluntary', '', '', '', '', '', ''],
      ],
    ),
    seizures: toCsv([...SEIZURE_COLUMNS], [['PP-2026-0001', 'crystal_meth', '12.5', 'g']]),
  };
}

