/** A small RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF, optional UTF-8 BOM. Pure, no I/O. */
export interface CsvTable {
  header: string[];
  /** Data rows; `line` is the 1-based line number in the file of the row's start (the header is line 1). */
  rows: { line: number; cells: string[] }[];
}

export class CsvSyntaxError extends Error {
  constructor(
    public line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export function parseCsv(text: string): CsvTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (field.length > 0) throw new CsvSyntaxError(line, 'a quote may only start a field');
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') {
      cells.push(field);
      field = '';
      fieldStarted = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(field);
      if (!(cells.length === 1 && cells[0] === '' && !fieldStarted)) records.push({ line: recordLine, cells });
      cells = [];
      field = '';
      fieldStarted = false;
      line++;
      recordLine = line;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new CsvSyntaxError(recordLine, 'a quoted field is not closed');
  if (fieldStarted || field.length > 0 || cells.length > 0) {
    cells.push(field);
    records.push({ line: recordLine, cells });
  }
  const [head, ...rows] = records;
  return { header: head ? head.cells.map((h) => h.trim().toLowerCase()) : [], rows };
}

/** Quote a value for CSV output when it needs it. */
export function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
