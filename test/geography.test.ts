import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers.js';
import { runCli } from './cli-helper.js';

const SAMPLE = readFileSync('reference/geography-sample-phnom-penh.csv', 'utf8');
const HEAD = 'level,code,parent_code,name_en,name_km';
const CSV = { 'content-type': 'text/csv' };

let t: TestApp;
let reader: Awaited<ReturnType<TestApp['user']>>;
beforeAll(async () => {
  t = await startTestApp();
  reader = await t.user('enforcement_clerk', await t.org('enforcement', 'police_unit'));
});
afterAll(() => t.close());

const importCsv = (text: string, headers: Record<string, string> = CSV) => t.admin.post('/api/geography/import', text, headers);
const counts = async () => (await t.admin.get('/api/geography/summary')).json();

describe('provinces', () => {
  it('lists the 25 provinces in number order with English and Khmer names, to any signed-in role', async () => {
    const res = await reader.get('/api/geography/provinces');
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items).toHaveLength(25);
    expect(items.map((p: { code: string }) => p.code)).toEqual(Array.from({ length: 25 }, (_, i) => `KH-${i + 1}`));
    for (const p of items) expect(p.nameKm).toMatch(/[\u1780-\u17FF]/);
    expect(items[11]).toEqual({ code: 'KH-12', number: 12, nameEn: 'Phnom Penh', nameKm: 'ភ្នំពេញ' });
  });
});

describe('import', () => {
  it('imports the Phnom Penh sample: 14 districts and 6 communes inserted, and audited', async () => {
    expect(await counts()).toEqual({ provinces: 25, districts: 0, communes: 0 });
    const res = await importCsv(SAMPLE);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ inserted: 20, updated: 0, unchanged: 0, districts: 14, communes: 6 });
    expect(await counts()).toEqual({ provinces: 25, districts: 14, communes: 6 });
  });

  it('lists districts of a province and communes of a district', async () => {
    const d = await reader.get('/api/geography/districts?province=KH-12');
    expect(d.statusCode).toBe(200);
    expect(d.json().items).toHaveLength(14);
    expect(d.json().items[0]).toEqual({ code: '1201', parentCode: 'KH-12', nameEn: 'Chamkar Mon', nameKm: 'ចំការមន' });
    expect((await reader.get('/api/geography/districts?province=KH-1')).json().items).toEqual([]);
    const c = await reader.get('/api/geography/communes?district=1201');
    expect(c.json().items.map((x: { code: string }) => x.code)).toEqual(['120101', '120102', '120103']);
    expect(c.json().items[0]).toEqual({ code: '120101', parentCode: '1201', nameEn: 'Tonle Basak', nameKm: 'ទន្លេបាសាក់' });
    const badP = await reader.get('/api/geography/districts?province=KH-99');
    expect(badP.statusCode).toBe(400);
    expect(badP.json().error.fields[0].path).toBe('query.province');
    expect((await reader.get('/api/geography/districts')).statusCode).toBe(400);
    expect((await reader.get('/api/geography/communes?district=12')).statusCode).toBe(400);
  });

  it('re-importing the same file changes nothing', async () => {
    const audit = (await t.db.selectFrom('audit_log').select('seq').where('action', '=', 'geography.import').execute()).length;
    const res = await importCsv(SAMPLE);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ inserted: 0, updated: 0, unchanged: 20, districts: 14, communes: 6 });
    expect(await counts()).toEqual({ provinces: 25, districts: 14, communes: 6 });
    expect((await t.db.selectFrom('audit_log').select('seq').where('action', '=', 'geography.import').execute()).length).toBe(audit + 1);
  });

  it('changed names are updated; new rows inserted; the rest unchanged; communes may refer to known districts', async () => {
    const text = [HEAD, 'district,1201,KH-12,Chamkarmon,ចំការមន', 'commune,120104,1201,Boeng Keng Kang Ti Muoy,បឹងកេងកងទី១', 'commune,120102,1201,Boeng Trabaek,បឹងត្របែក'].join('\n');
    const res = await importCsv(text);
    expect(res.json()).toEqual({ inserted: 1, updated: 1, unchanged: 1, districts: 1, communes: 2 });
    const d = (await reader.get('/api/geography/districts?province=KH-12')).json().items.find((x: { code: string }) => x.code === '1201');
    expect(d.nameEn).toBe('Chamkarmon');
    expect(await counts()).toEqual({ provinces: 25, districts: 14, communes: 7 });
  });

  it('a file with one bad row is refused as a whole: 400, row/column paths, nothing imported', async () => {
    const before = await counts();
    const auditBefore = (await t.db.selectFrom('audit_log').select('seq').execute()).length;
    const text = [
      HEAD,
      'district,0101,KH-1,Mongkol Borei,មង្គលបូរី', // row 2: good, new
      'district,0102,KH-1,Phnum Srok,ភ្នំស្រុក', // row 3: good, new
      'commune,010101,0101,Banteay Neang,Banteay Neang', // row 4: Khmer name in Latin script
      'district,1201,KH-12,Renamed Chamkar Mon,ចំការមន', // row 5: good, a change
    ].join('\n');
    const res = await importCsv(text);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toContain('nothing was imported');
    expect(body.error.fields).toEqual([{ path: 'row 4, name_km', message: 'must be written in Khmer script' }]);
    expect(body.rejected).toEqual([{ row: 4, column: 'name_km', message: 'must be written in Khmer script' }]);
    expect(await counts()).toEqual(before);
    expect((await reader.get('/api/geography/districts?province=KH-1')).json().items).toEqual([]);
    const d = (await reader.get('/api/geography/districts?province=KH-12')).json().items.find((x: { code: string }) => x.code === '1201');
    expect(d.nameEn).toBe('Chamkarmon');
    expect((await t.db.selectFrom('audit_log').select('seq').execute()).length).toBe(auditBefore);
  });

  it('reports every bad row, duplicate codes and unknown districts', async () => {
    const text = [
      HEAD,
      'district,0101,KH-1,Mongkol Borei,មង្គលបូរី',
      'district,0101,KH-1,Again,ម្ដងទៀត',
      'commune,020101,0201,Orphan,កំព្រា',
      'village,0103,KH-1,X,ខ',
    ].join('\r\n');
    const res = await importCsv(text);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([
      { path: 'row 3, code', message: 'is a duplicate of row 2' },
      { path: 'row 4, parent_code', message: 'district 0201 is neither in the file above this row nor already imported' },
      { path: 'row 5, level', message: 'must be district or commune' },
    ]);
  });

  it('a bad header, a file without rows, a broken quote and an empty body are 400 too', async () => {
    const header = await importCsv('level,code,parent,name_en,name_km\ndistrict,0101,KH-1,A,ក\n');
    expect(header.statusCode).toBe(400);
    expect(header.json().error.fields[0].path).toBe('row 1, header');
    expect(header.json().error.fields[0].message).toMatch(/missing column\(s\) parent_code; unknown column\(s\) parent/);
    const noRows = await importCsv(HEAD + '\n');
    expect(noRows.json().error.fields).toEqual([{ path: 'file', message: 'has no data rows' }]);
    const quote = await importCsv(HEAD + '\ndistrict,0101,KH-1,"Mongkol,ក\n');
    expect(quote.statusCode).toBe(400);
    expect(quote.json().error.fields[0].path).toBe('row 2, file');
    const empty = await importCsv('');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields).toEqual([{ path: 'body', message: 'send the CSV file as text/csv' }]);
    const json = await t.admin.post('/api/geography/import', { rows: [] });
    expect(json.statusCode).toBe(400);
  });

  it('accepts text/csv with a charset and text/plain', async () => {
    const a = await importCsv(SAMPLE, { 'content-type': 'text/csv; charset=utf-8' });
    expect(a.statusCode).toBe(200);
    expect(a.json()).toEqual({ inserted: 0, updated: 1, unchanged: 19, districts: 14, communes: 6 }); // 1201 gets its sample name back
    const b = await importCsv(SAMPLE, { 'content-type': 'text/plain' });
    expect(b.statusCode).toBe(200);
  });

  it('a 25 MB body is refused with 413 and the error shape', async () => {
    const big = HEAD + '\n' + 'district,0101,KH-1,Mongkol Borei,Mongkol Borei\n'.repeat(Math.ceil((25 * 1024 * 1024) / 44));
    expect(Buffer.byteLength(big)).toBeGreaterThanOrEqual(25 * 1024 * 1024);
    const res = await importCsv(big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: { code: 'too_large', message: 'body: the request body is too large', fields: [{ path: 'body', message: 'the request body is too large' }] } });
  });

  it('organisations may be placed in imported districts and communes, consistently', async () => {
    const ok = await t.admin.post('/api/organisations', { name: 'Tonle Basak NGO', sector: 'health', kind: 'ngo', provinceCode: 'KH-12', districtCode: '1201', communeCode: '120101' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ districtCode: '1201', communeCode: '120101' });
    const wrongProvince = await t.admin.post('/api/organisations', { name: 'Lost NGO', sector: 'health', kind: 'ngo', provinceCode: 'KH-2', districtCode: '1201' });
    expect(wrongProvince.statusCode).toBe(400);
    expect(wrongProvince.json().error.fields).toEqual([{ path: 'districtCode', message: 'is not in the province' }]);
    const unknown = await t.admin.post('/api/organisations', { name: 'Ghost NGO', sector: 'health', kind: 'ngo', provinceCode: 'KH-12', districtCode: '1299' });
    expect(unknown.json().error.fields).toEqual([{ path: 'districtCode', message: 'is not a known district' }]);
    const unknownCommune = await t.admin.post('/api/organisations', { name: 'Ghost NGO', sector: 'health', kind: 'ngo', provinceCode: 'KH-12', districtCode: '1201', communeCode: '120199' });
    expect(unknownCommune.json().error.fields).toEqual([{ path: 'communeCode', message: 'is not a known commune' }]);
    // moving to another province clears district and commune
    const moved = await t.admin.patch(`/api/organisations/${ok.json().id}`, { provinceCode: 'KH-2' });
    expect(moved.json()).toMatchObject({ provinceCode: 'KH-2', districtCode: null, communeCode: null });
  });
});

describe('CLI import-geography (temporary PGlite folder)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tonle-geo-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a bad file exits 1 and prints "row N, column: message"; a good one imports', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, [HEAD, 'district,1201,KH-12,Chamkar Mon,ចំការមន', 'district,1302,KH-12,Doun Penh,ដូនពេញ'].join('\n'));
    const r = await runCli(['import-geography', bad], join(dir, 'db'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing was imported; 1 problem(s):');
    expect(r.stderr).toContain('row 3, code: must start with 12 (the number of province KH-12)');
    const good = await runCli(['import-geography', 'reference/geography-sample-phnom-penh.csv'], join(dir, 'db'));
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('imported: 20 new, 0 updated, 0 unchanged (14 districts, 6 communes in the file)');
  });
});
