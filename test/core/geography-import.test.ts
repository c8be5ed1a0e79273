import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { formatProblem, validateGeographyCsv } from '../../src/core/geography-import.js';

const HEAD = 'level,code,parent_code,name_en,name_km';
const none = new Set<string>();
const csv = (...rows: string[]) => [HEAD, ...rows].join('\n') + '\n';

describe('validateGeographyCsv', () => {
  it('accepts the Phnom Penh sample file: 14 districts, 6 communes', () => {
    const text = readFileSync(new URL('../../reference/geography-sample-phnom-penh.csv', import.meta.url), 'utf8');
    const r = validateGeographyCsv(text, none);
    expect(r.problems).toEqual([]);
    expect(r.units.filter((u) => u.level === 'district')).toHaveLength(14);
    expect(r.units.filter((u) => u.level === 'commune')).toHaveLength(6);
    expect(r.units[0]).toEqual({ level: 'district', code: '1201', parentCode: 'KH-12', nameEn: 'Chamkar Mon', nameKm: 'ចំការមន' });
  });

  it('trims cells, accepts upper-case level, BOM and CRLF', () => {
    const r = validateGeographyCsv('\uFEFF' + [HEAD, ' District , 1201 ,KH-12, Chamkar Mon ,ចំការមន'].join('\r\n'), none);
    expect(r.problems).toEqual([]);
    expect(r.units).toEqual([{ level: 'district', code: '1201', parentCode: 'KH-12', nameEn: 'Chamkar Mon', nameKm: 'ចំការមន' }]);
  });

  it('reports each problem at its spreadsheet row (header = row 1) with the column, and returns no units', () => {
    const r = validateGeographyCsv(
      csv(
        'district,1201,KH-12,Chamkar Mon,ចំការមន', // row 2 ok
        'province,1202,KH-12,Doun Penh,ដូនពេញ', // row 3 level
        'district,1203,KH-99,X,ខ', // row 4 parent
        'district,123,KH-12,X,ខ', // row 5 code format
        'district,0301,KH-12,X,ខ', // row 6 prefix
        'commune,120101,1201,Tonle Basak,Tonle Basak', // row 7 khmer script
        'commune,120102,1201,,ខ', // row 8 english name required
      ),
      none,
    );
    expect(r.units).toEqual([]);
    expect(r.problems).toEqual([
      { row: 3, column: 'level', message: 'must be district or commune' },
      { row: 4, column: 'parent_code', message: 'must be a province code such as KH-12' },
      { row: 5, column: 'code', message: 'must be a 4-digit district code' },
      { row: 6, column: 'code', message: 'must start with 12 (the number of province KH-12)' },
      { row: 7, column: 'name_km', message: 'must be written in Khmer script' },
      { row: 8, column: 'name_en', message: 'is required' },
    ]);
    expect(r.problems.map(formatProblem)[0]).toBe('row 3, level: must be district or commune');
  });

  it('refuses an empty Khmer name and markup in names', () => {
    const r = validateGeographyCsv(csv('district,1201,KH-12,Chamkar Mon,', 'district,1202,KH-12,<b>x</b>,ដូនពេញ'), none);
    expect(r.problems).toEqual([
      { row: 2, column: 'name_km', message: 'is required' },
      { row: 3, column: 'name_en', message: 'must not contain < > or control characters' },
    ]);
  });

  it('refuses duplicate codes, naming the first row', () => {
    const r = validateGeographyCsv(csv('district,1201,KH-12,A,ក', 'district,1202,KH-12,B,ខ', 'district,1201,KH-12,C,គ'), none);
    expect(r.problems).toEqual([{ row: 4, column: 'code', message: 'is a duplicate of row 2' }]);
    expect(r.units).toEqual([]);
  });

  it('a commune needs its district in the file above it or already known', () => {
    const text = csv('commune,120101,1201,Tonle Basak,ទន្លេបាសាក់');
    expect(validateGeographyCsv(text, none).problems).toEqual([
      { row: 2, column: 'parent_code', message: 'district 1201 is neither in the file above this row nor already imported' },
    ]);
    expect(validateGeographyCsv(text, new Set(['1201']))).toEqual({
      units: [{ level: 'commune', code: '120101', parentCode: '1201', nameEn: 'Tonle Basak', nameKm: 'ទន្លេបាសាក់' }],
      problems: [],
    });
    // district below its commune: refused
    expect(validateGeographyCsv(csv('commune,120101,1201,T,ទ', 'district,1201,KH-12,C,ច'), none).problems[0]).toMatchObject({ row: 2, column: 'parent_code' });
    // a district that was itself refused does not make its communes valid
    const bad = validateGeographyCsv(csv('district,1201,KH-12,C,Latin only', 'commune,120101,1201,T,ទ'), none);
    expect(bad.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'name_km'],
      [3, 'parent_code'],
    ]);
  });

  it('a commune code must be 6 digits starting with its district code', () => {
    const r = validateGeographyCsv(csv('district,1201,KH-12,C,ច', 'commune,12010,1201,T,ទ', 'commune,120201,1201,T,ទ', 'commune,120101,12,T,ទ'), none);
    expect(r.problems).toEqual([
      { row: 3, column: 'code', message: 'must be a 6-digit commune code' },
      { row: 4, column: 'code', message: 'must start with its district code 1201' },
      { row: 5, column: 'parent_code', message: 'must be a 4-digit district code' },
    ]);
  });

  it('a row with the wrong number of cells is a row problem', () => {
    const r = validateGeographyCsv(csv('district,1201,KH-12,C'), none);
    expect(r.problems).toEqual([{ row: 2, column: 'row', message: 'has 4 cells, expected 5' }]);
  });

  it('unknown and missing columns are reported on the header (row 1)', () => {
    const r = validateGeographyCsv('level,code,parent_code,name_en,province\ndistrict,1201,KH-12,C,x\n', none);
    expect(r.units).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].row).toBe(1);
    expect(r.problems[0].column).toBe('header');
    expect(r.problems[0].message).toContain('missing column(s) name_km');
    expect(r.problems[0].message).toContain('unknown column(s) province');
    expect(formatProblem(r.problems[0])).toMatch(/^row 1, header: /);
  });

  it('columns may come in any order', () => {
    const r = validateGeographyCsv('name_km,name_en,code,level,parent_code\nច,C,1201,district,KH-12\n', none);
    expect(r.problems).toEqual([]);
    expect(r.units[0]).toMatchObject({ code: '1201', parentCode: 'KH-12', nameEn: 'C', nameKm: 'ច' });
  });

  it('a file with a header only, or a broken quote, is refused as a whole', () => {
    const empty = validateGeographyCsv(HEAD + '\n', none);
    expect(empty.problems).toEqual([{ row: 0, column: 'file', message: 'has no data rows' }]);
    expect(formatProblem(empty.problems[0])).toBe('file: has no data rows');
    const broken = validateGeographyCsv(csv('district,1201,KH-12,"Chamkar,ច'), none);
    expect(broken.units).toEqual([]);
    expect(broken.problems).toEqual([{ row: 2, column: 'file', message: 'line 2: a quoted field is not closed' }]);
  });
});
