import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, csvCell, parseCsv, toCsv } from '../../src/core/csv.js';

describe('parseCsv', () => {
  it('reads a header (trimmed, lower-cased) and rows with their line numbers', () => {
    const t = parseCsv(' Level ,CODE\na,b\nc,d\n');
    expect(t.header).toEqual(['level', 'code']);
    expect(t.rows).toEqual([
      { line: 2, cells: ['a', 'b'] },
      { line: 3, cells: ['c', 'd'] },
    ]);
  });

  it('reads quoted fields with commas and doubled quotes', () => {
    const t = parseCsv('h1,h2\n"a, b","say ""hi"""\n');
    expect(t.rows[0].cells).toEqual(['a, b', 'say "hi"']);
  });

  it('accepts CRLF line ends exactly like LF', () => {
    expect(parseCsv('a,b\r\n1,2\r\n3,4\r\n')).toEqual(parseCsv('a,b\n1,2\n3,4\n'));
    expect(parseCsv('a,b\r\n1,2\r\n').rows).toEqual([{ line: 2, cells: ['1', '2'] }]);
  });

  it('drops a UTF-8 byte-order mark so the first column name is clean', () => {
    const t = parseCsv('\uFEFFlevel,code\nx,y');
    expect(t.header).toEqual(['level', 'code']);
    expect(t.rows).toEqual([{ line: 2, cells: ['x', 'y'] }]);
  });

  it('keeps embedded newlines inside quotes and counts file lines for the next record', () => {
    const t = parseCsv('a,b\n"line one\nline two",x\nlast,y\n');
    expect(t.rows[0]).toEqual({ line: 2, cells: ['line one\nline two', 'x'] });
    expect(t.rows[1]).toEqual({ line: 4, cells: ['last', 'y'] });
  });

  it('keeps empty fields, reads a last line without newline, skips blank lines', () => {
    const t = parseCsv('a,b,c\n,,\n\n1,"",3');
    expect(t.rows).toEqual([
      { line: 2, cells: ['', '', ''] },
      { line: 4, cells: ['1', '', '3'] },
    ]);
  });

  it('an unclosed quote is a syntax error naming the line where the record starts', () => {
    expect(() => parseCsv('a,b\n1,2\n"open,3\nmore')).toThrow(CsvSyntaxError);
    try {
      parseCsv('a,b\n1,2\n"open,3\nmore');
    } catch (e) {
      expect((e as CsvSyntaxError).line).toBe(3);
      expect((e as Error).message).toBe('line 3: a quoted field is not closed');
    }
  });

  it('a quote in the middle of an unquoted field is a syntax error', () => {
    expect(() => parseCsv('a,b\nab"c,d\n')).toThrow(/line 2: a quote may only start a field/);
  });

  it('an empty text has no header and no rows', () => {
    expect(parseCsv('')).toEqual({ header: [], rows: [] });
  });
});

describe('csvCell / toCsv', () => {
  it('quotes only when needed and doubles quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "x"')).toBe('"say ""x"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('toCsv uses CRLF and round-trips through parseCsv', () => {
    const header = ['name', 'note', 'n'];
    const rows = [
      ['Tonle, Basak', 'he said "ok"', '1'],
      ['multi\nline', '', '2'],
      ['ភ្នំពេញ', 'x\r\ny', '3'],
    ];
    const text = toCsv(header, rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.startsWith('name,note,n\r\n')).toBe(true);
    const back = parseCsv(text);
    expect(back.header).toEqual(header);
    expect(back.rows.map((r) => r.cells)).toEqual(rows);
  });
});
