/**
 * Bulk case import: validate everything first (any bad row → 400 and nothing changes), then write in one transaction,
 * reporting progress. Idempotent on unit + reference: an identical case is left alone, a changed one is corrected
 * (audited with before/after like a correction in the form).
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../db/index.js';
import { caseScope, type Actor } from '../policy.js';
import { recordAuditMany, type AuditWhat, type AuditWho } from '../audit/service.js';
import { canonicalJson } from '../audit/chain.js';
import { validateCaseImport, type ImportedCase, type ImportProblem } from '../../core/enforcement-import.js';
import { todayInCambodia } from '../../core/dates.js';
import type { CaseInput } from '../../core/enforcement.js';
import { CaseService, enforcementTree } from './service.js';
import { AggregateDelta, applyAggregateDelta } from './aggregates.js';

export interface ImportSummary {
  cases: number;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
}

export class CaseImportError extends Error {
  constructor(public problems: ImportProblem[]) {
    super(`${problems.length} problem(s)`);
  }
}

const CHUNK = 1000;

function content(c: CaseInput) {
  return canonicalJson({
    unitReference: c.unitReference,
    occurredOn: c.occurredOn,
    reportedOn: c.reportedOn,
    provinceCode: c.provinceCode,
    districtCode: c.districtCode ?? null,
    communeCode: c.communeCode ?? null,
    caseType: c.caseType,
    persons: c.persons.map((p) => ({ role: p.role, sex: p.sex, ageBand: p.ageBand, nationality: p.nationality, disposition: p.disposition })),
    seizures: c.seizures.map((s) => ({ drug: s.drug, quantity: Number(s.quantity), unit: s.unit })),
    assets: c.assets,
  });
}

export class CaseImportService {
  constructor(private db: Database) {}

  /** Parse, validate and check against the database. Throws CaseImportError listing every problem. */
  async validate(actor: Actor | null, casesText: string, seizuresText?: string): Promise<{ cases: ImportedCase[]; rows: number }> {
    caseScope(actor, 'case.write', await enforcementTree(this.db));
    const { cases, problems, rows } = validateCaseImport(casesText, seizuresText, todayInCambodia());
    if (problems.length) throw new CaseImportError(problems);
    const more: ImportProblem[] = [];
    const districtCodes = [...new Set(cases.map((c) => c.input.districtCode).filter((x): x is string => !!x))];
    const communeCodes = [...new Set(cases.map((c) => c.input.communeCode).filter((x): x is string => !!x))];
    const districts = new Map<string, string>();
    for (let i = 0; i < districtCodes.length; i += CHUNK) {
      const rs = await this.db.selectFrom('districts').select(['code', 'province_code']).where('code', 'in', districtCodes.slice(i, i + CHUNK)).execute();
      for (const r of rs) districts.set(r.code, r.province_code);
    }
    const communes = new Set<string>();
    for (let i = 0; i < communeCodes.length; i += CHUNK) {
      const rs = await this.db.selectFrom('communes').select('code').where('code', 'in', communeCodes.slice(i, i + CHUNK)).execute();
      for (const r of rs) communes.add(r.code);
    }
    for (const c of cases) {
      const d = c.input.districtCode;
      if (d && !districts.has(d)) more.push({ file: 'cases', row: c.row, column: 'district_code', message: 'is not a known district' });
      else if (d && districts.get(d) !== c.input.provinceCode) more.push({ file: 'cases', row: c.row, column: 'district_code', message: 'is not in the province' });
      if (c.input.communeCode && !communes.has(c.input.communeCode)) more.push({ file: 'cases', row: c.row, column: 'commune_code', message: 'is not a known commune' });
    }
    // A voided case cannot be re-imported.
    const refs = cases.map((c) => c.input.unitReference);
    for (let i = 0; i < refs.length; i += CHUNK) {
      const voided = await this.db
        .selectFrom('enforcement_cases')
        .select('unit_reference')
        .where('organisation_id', '=', actor!.organisationId)
        .where('unit_reference', 'in', refs.slice(i, i + CHUNK))
        .where('voided_at', 'is not', null)
        .execute();
      for (const v of voided) {
        const c = cases.find((x) => x.input.unitReference === v.unit_reference)!;
        more.push({ file: 'cases', row: c.row, column: 'unit_reference', message: 'this case was voided; it cannot be imported again' });
      }
    }
    if (more.length) throw new CaseImportError(more.sort((a, b) => a.row - b.row));
    return { cases, rows };
  }

  async run(actor: Actor, cases: ImportedCase[], rows: number, who: AuditWho, onProgress?: (done: number, total: number) => void): Promise<ImportSummary> {
    const orgId = actor.organisationId;
    const summary: ImportSummary = { cases: cases.length, rows, created: 0, updated: 0, unchanged: 0 };
    await this.db.transaction().execute(async (trx) => {
      // The import's change to the summaries, over every batch: every corrected case's old content out, every new
      // content in; written once, before the last batch's audit entries (one upsert per table, in key order)
      const delta = new AggregateDelta();
      for (let i = 0; i < cases.length; i += CHUNK) {
        const chunk = cases.slice(i, i + CHUNK);
        const existing = await trx
          .selectFrom('enforcement_cases')
          .select(['id', 'unit_reference', 'occurred_on', 'reported_on', 'province_code', 'district_code', 'commune_code', 'case_type', 'vehicles', 'motorcycles', 'phones', 'cash_khr', 'cash_usd', 'weapons', 'version'])
          .where('organisation_id', '=', orgId)
          .where('unit_reference', 'in', chunk.map((c) => c.input.unitReference))
          .forUpdate()
          .execute();
        const byRef = new Map(existing.map((e) => [e.unit_reference, e]));
        const ids = existing.map((e) => e.id);
        const persons = ids.length ? await trx.selectFrom('case_persons').selectAll().where('case_id', 'in', ids).orderBy('position').execute() : [];
        const seizures = ids.length ? await trx.selectFrom('case_seizures').selectAll().where('case_id', 'in', ids).orderBy('position').execute() : [];
        const audits: AuditWhat[] = [];
        const inserts: ImportedCase[] = [];
        const now = new Date();
        for (const c of chunk) {
          const e = byRef.get(c.input.unitReference);
          if (!e) {
            inserts.push(c);
            continue;
          }
          const before: CaseInput = {
            unitReference: e.unit_reference,
            occurredOn: e.occurred_on,
            reportedOn: e.reported_on,
            provinceCode: e.province_code,
            districtCode: e.district_code,
            communeCode: e.commune_code,
            caseType: e.case_type as CaseInput['caseType'],
            persons: persons.filter((p) => p.case_id === e.id).map((p) => ({ role: p.role, sex: p.sex, ageBand: p.age_band, nationality: p.nationality, disposition: p.disposition }) as CaseInput['persons'][number]),
            seizures: seizures.filter((s) => s.case_id === e.id).map((s) => ({ drug: s.drug, quantity: Number(s.quantity), unit: s.unit }) as CaseInput['seizures'][number]),
            assets: { vehicles: e.vehicles, motorcycles: e.motorcycles, phones: e.phones, cashKhr: Number(e.cash_khr), cashUsd: Number(e.cash_usd), weapons: e.weapons },
          };
          if (content(before) === content(c.input)) {
            summary.unchanged++;
            continue;
          }
          summary.updated++;
          delta.add({ organisationId: orgId, ...before }, -1);
          delta.add({ organisationId: orgId, ...c.input }, 1);
          await trx.updateTable('enforcement_cases').set({ ...CaseService.caseColumns(c.input), version: e.version + 1, updated_at: now }).where('id', '=', e.id).execute();
          await trx.deleteFrom('case_persons').where('case_id', '=', e.id).execute();
          await trx.deleteFrom('case_seizures').where('case_id', '=', e.id).execute();
          await CaseService.writeChildren(trx, e.id, orgId, c.input);
          audits.push({ action: 'case.update', entity: 'enforcement_case', entityId: e.id, details: { source: 'import', before: JSON.parse(content(before)), after: JSON.parse(content(c.input)) } });
        }
        if (inserts.length) {
          const ids2 = inserts.map(() => randomUUID());
          await trx
            .insertInto('enforcement_cases')
            .values(inserts.map((c, k) => ({ id: ids2[k], organisation_id: orgId, ...CaseService.caseColumns(c.input), version: 1, created_by: actor.accountId, created_at: now, updated_at: now })))
            .execute();
          const personRows = inserts.flatMap((c, k) =>
            c.input.persons.map((p, pos) => ({ id: randomUUID(), case_id: ids2[k], organisation_id: orgId, position: pos, role: p.role, sex: p.sex, age_band: p.ageBand, nationality: p.nationality, disposition: p.disposition })),
          );
          for (let j = 0; j < personRows.length; j += CHUNK) await trx.insertInto('case_persons').values(personRows.slice(j, j + CHUNK)).execute();
          const seizureRows = inserts.flatMap((c, k) =>
            c.input.seizures.map((s, pos) => ({ id: randomUUID(), case_id: ids2[k], organisation_id: orgId, position: pos, drug: s.drug, quantity: s.quantity, unit: s.unit })),
          );
          for (let j = 0; j < seizureRows.length; j += CHUNK) await trx.insertInto('case_seizures').values(seizureRows.slice(j, j + CHUNK)).execute();
          summary.created += inserts.length;
          for (const c of inserts) delta.add({ organisationId: orgId, ...c.input }, 1);
          inserts.forEach((c, k) => audits.push({ action: 'case.create', entity: 'enforcement_case', entityId: ids2[k], details: { source: 'import', after: JSON.parse(content(c.input)) } }));
        }
        if (i + CHUNK >= cases.length) await applyAggregateDelta(trx, delta);
        await recordAuditMany(trx, who, audits);
        onProgress?.(Math.min(i + CHUNK, cases.length), cases.length);
      }
      await recordAuditMany(trx, who, [{ action: 'case.import', entity: 'enforcement_case', details: { ...summary } }]);
    });
    return summary;
  }
}
