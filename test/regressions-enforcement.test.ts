/**
 * Regressions of the enforcement pillar: bugs found by the first test pass (a template dated in the future,
 * problems hidden behind other problems, wrong column names, duplicate person ids, "is required" for wrong types),
 * each written as a test that failed before its fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from './helpers.js';
import { createCase, importResult, paths, policeOrg, validCase } from './enforcement-helpers.js';
import { CASE_COLUMNS, caseImportTemplate, validateCaseImport } from '../src/core/enforcement-import.js';
import { todayInCambodia } from '../src/core/dates.js';

describe('regressions: enforcement', () => {
  let t: TestApp;
  let clerk: Client;
  beforeAll(async () => {
    t = await startTestApp();
    clerk = await t.user('enforcement_clerk', await policeOrg(t, 'Known bugs unit'));
  });
  afterAll(() => t?.close());

  // E2: src/core/enforcement-import.ts caseImportTemplate — the example rows are dated 2027-01-02, in the future
  // until then, so a unit that uploads the downloaded template unchanged gets "must not be in the future".
  it('E2: the downloadable template imports as it is', async () => {
    const tpl = caseImportTemplate();
    expect(validateCaseImport(tpl.cases, tpl.seizures, todayInCambodia()).problems).toEqual([]);
    const res = await clerk.post('/api/cases/import', (await clerk.get('/api/cases/import/template')).json());
    expect(importResult(res)).toMatchObject({ created: 1 });
  });

  // E3: src/core/enforcement-import.ts validateCaseImport — `if (d.bad) continue;` skips the schema check of a case
  // that has a bad person or seizure row, so its date / case type problems only appear after a second upload.
  it('E3: every problem of a file is listed in one pass, also for a case with a bad person or seizure row', () => {
    const H = CASE_COLUMNS.join(',');
    const cases = [H, 'X-1,2024-06-05,2024-06-01,KH-12,,,murder,alleged_user,M,18_24,KH,pending,,,,,,'].join('\n');
    const r = validateCaseImport(cases, 'unit_reference,drug,quantity,unit\nX-1,yaba,1,g\n', '2024-06-30');
    expect(r.problems.map((p) => `${p.file} ${p.row} ${p.column}`).sort()).toEqual(['cases 2 case_type', 'cases 2 person_sex', 'cases 2 reported_on', 'seizures 2 drug'].sort());
  });

  // E4: src/core/enforcement-import.ts columnFor — a problem of the persons or seizures arrays as a whole, or of a
  // seizure's quantity after parsing, is attributed to a column that does not exist.
  it('E4: problems of the persons and seizures of a case name a real column of the right file', () => {
    const H = CASE_COLUMNS.join(',');
    const l = (ref: string) => `${ref},2024-06-01,2024-06-01,KH-12,,,use,alleged_user,male,18_24,KH,pending,,,,,,`;
    const many = validateCaseImport([H, ...Array.from({ length: 501 }, () => l('A-1'))].join('\n'), undefined, '2024-06-30');
    expect(many.problems).toHaveLength(1);
    expect([...CASE_COLUMNS, 'row', 'file'] as string[]).toContain(many.problems[0].column); // today: 'person_persons'
    const big = validateCaseImport([H, l('A-1')].join('\n'), 'unit_reference,drug,quantity,unit\nA-1,heroin,2000000000,g\n', '2024-06-30');
    expect(big.problems).toEqual([{ file: 'seizures', row: 2, column: 'quantity', message: expect.any(String) }]); // today: cases row 2, column 'seizures'
  });

  // E5: src/server/enforcement/service.ts update() — the same person id twice in a correction reaches the INSERT and
  // fails on the primary key: 409 "record: already exists", which no reload can fix.
  it('E5: a correction with the same person id twice is a 400 naming persons.1.id', async () => {
    const c = await createCase(clerk);
    const { id: _i, organisationId: _o, organisationName: _n, voided: _v, voidReason: _r, voidedAt: _a, createdAt: _c, updatedAt: _u, ...body } = c;
    const res = await clerk.request('PUT', `/api/cases/${c.id}`, { ...body, persons: [c.persons[0], c.persons[0]] });
    expect(res.statusCode, res.body).toBe(400);
    expect(paths(res)).toEqual(['persons.1.id']);
  });

  // E6: src/server/http/errors.ts zodFields — zod 4 does not put `input` on issues (unless parsed with reportInput),
  // so `i.code === 'invalid_type' && i.input === undefined` is true for EVERY wrong type: a value that was given but has
  // the wrong type is reported as "is required" (quantity "12", ?limit=abc, unitReference 12345 …).
  it('E6: a value of the wrong type is reported as such, not as "is required"', async () => {
    const res = await clerk.get('/api/cases?limit=abc');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([{ path: 'query.limit', message: expect.not.stringContaining('required') }]);
    const q = await clerk.post('/api/cases', validCase({ seizures: [{ drug: 'heroin', quantity: '12', unit: 'g' }] }));
    expect(q.json().error.fields).toEqual([{ path: 'seizures.0.quantity', message: 'must be a number' }]);
    const missing = await clerk.post('/api/cases', validCase({ caseType: undefined }));
    expect(missing.json().error.fields).toEqual([{ path: 'caseType', message: 'is required' }]);
  });
});
