/**
 * Validation of the districts/communes CSV (pure). Format, one row per unit:
 *   level,code,parent_code,name_en,name_km
 *   district,1201,KH-12,Chamkar Mon,ចំការមន
 *   commune,120101,1201,Tonle Basak,ទន្លេបាសាក់
 * A district's parent is a province code (KH-n) and its code starts with the province number (2 digits);
 * a commune's parent is a district code and its code starts with it. Districts may come after their communes
 * in the file only if the district already exists in the database.
 */
import { z } from 'zod';
import { parseCsv, CsvSyntaxError } from './csv.js';
import { districtCodePrefix, provinceByCode } from './geography.js';

export const GEO_CSV_COLUMNS = ['level', 'code', 'parent_code', 'name_en', 'name_km'] as const;

export interface GeoUnitRow {
  level: 'district' | 'commune';
  code: string;
  parentCode: string;
  nameEn: string;
  nameKm: string;
}

export interface RowProblem {
  /** The row as a spreadsheet shows it: the header is row 1, the first data row is row 2 (0: the whole file). */
  row: number;
  column: string;
  message: string;
}

const name = z
  .string()
  .trim()
  .min(1, { message: 'is required' })
  .max(120, { message: 'must be at most 120 characters' })
  .refine((s) => !/[<>\u0000-\u001f]/.test(s), { message: 'must not contain < > or control characters' });
const khmerName = name.refine((s) => /[\u1780-\u17FF]/.test(s), { message: 'must be written in Khmer script' });

export interface GeoCsvResult {
  units: GeoUnitRow[];
  problems: RowProblem[];
}

/**
 * Parse and validate the whole file. `knownDistricts` are district codes already in the database
 * (a commune may refer to one of those or to a district in the same file).
 */
export function validateGeographyCsv(text: string, knownDistricts: ReadonlySet<string>): GeoCsvResult {
  const problems: RowProblem[] = [];
  let table;
  try {
    table = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) return { units: [], problems: [{ row: e.line, column: 'file', message: e.message }] };
    throw e;
  }
  const missing = GEO_CSV_COLUMNS.filter((c) => !table.header.includes(c));
  const unknown = table.header.filter((c) => !(GEO_CSV_COLUMNS as readonly string[]).includes(c));
  if (missing.length || unknown.length) {
    const msg = [missing.length ? `missing column(s) ${missing.join(', ')}` : '', unknown.length ? `unknown column(s) ${unknown.join(', ')}` : '']
      .filter(Boolean)
      .join('; ');
    return { units: [], problems: [{ row: 1, column: 'header', message: `${msg}; expected ${GEO_CSV_COLUMNS.join(',')}` }] };
  }
  if (table.rows.length === 0) return { units: [], problems: [{ row: 0, column: 'file', message: 'has no data rows' }] };
  const idx = Object.fromEntries(GEO_CSV_COLUMNS.map((c) => [c, table.header.indexOf(c)])) as Record<(typeof GEO_CSV_COLUMNS)[number], number>;
  const fileDistricts = new Set<string>();
  const seen = new Map<string, number>();
  const units: GeoUnitRow[] = [];
  // The row as a spreadsheet shows it: the header is row 1; a quoted cell spanning lines is still one row.
  table.rows.forEach(({ cells }, i) => {
    const row = i + 2;
    const bad = (column: string, message: string) => problems.push({ row, column, message });
    if (cells.length !== table.header.length) {
      bad('row', `has ${cells.length} cells, expected ${table.header.length}`);
      return;
    }
    const get = (c: (typeof GEO_CSV_COLUMNS)[number]) => (cells[idx[c]] ?? '').trim();
    const level = get('level').toLowerCase();
    const code = get('code');
    const parent = get('parent_code');
    let ok = true;
    if (level !== 'district' && level !== 'commune') {
      bad('level', 'must be district or commune');
      ok = false;
    } else if (level === 'district') {
      const prefix = districtCodePrefix(parent);
      if (!provinceByCode(parent)) {
        bad('parent_code', 'must be a province code such as KH-12');
        ok = false;
      } else if (!/^\d{4}$/.test(code)) {
        bad('code', 'must be a 4-digit district code');
        ok = false;
      } else if (!code.startsWith(prefix!)) {
        bad('code', `must start with ${prefix} (the number of province ${parent})`);
        ok = false;
      }
    } else {
      if (!/^\d{4}$/.test(parent)) {
        bad('parent_code', 'must be a 4-digit district code');
        ok = false;
      } else if (!/^\d{6}$/.test(code)) {
        bad('code', 'must be a 6-digit commune code');
        ok = false;
      } else if (!code.startsWith(parent)) {
        bad('code', `must start with its district code ${parent}`);
        ok = false;
      } else if (!knownDistricts.has(parent) && !fileDistricts.has(parent)) {
        bad('parent_code', `district ${parent} is neither in the file above this row nor already imported`);
        ok = false;
      }
    }
    const en = name.safeParse(get('name_en'));
    if (!en.success) {
      bad('name_en', en.error.issues[0].message);
      ok = false;
    }
    const km = khmerName.safeParse(get('name_km'));
    if (!km.success) {
      bad('name_km', km.error.issues[0].message);
      ok = false;
    }
    if (code && seen.has(code)) {
      bad('code', `is a duplicate of row ${seen.get(code)}`);
      ok = false;
    } else if (code) seen.set(code, row);
    if (!ok) return;
    if (level === 'district') fileDistricts.add(code);
    units.push({ level: level as GeoUnitRow['level'], code, parentCode: parent, nameEn: en.data!, nameKm: km.data! });
  });
  return { units: problems.length ? [] : units, problems };
}

export function formatProblem(p: RowProblem): string {
  return p.row === 0 ? `${p.column}: ${p.message}` : `row ${p.row}, ${p.column}: ${p.message}`;
}
