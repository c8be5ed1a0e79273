/**
 * Enforcement cases: record, correct (audited with before/after), update dispositions, void with a reason.
 * Every query is scoped through the access policy's caseScope: a case outside the scope answers 404.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../db/index.js';
import type { DB } from '../db/schema.js';
import { caseScope, type Actor } from '../policy.js';
import { recordAudit, type AuditWho } from '../audit/service.js';
import { badRequest, conflict, HttpError, notFound } from '../http/errors.js';
import type { CaseDto, CaseInput, CaseListItem, Disposition } from '../../core/enforcement.js';
import { applyDelta } from './aggregates.js';

export type { CaseDto, CaseListItem };

type Db = Database | Transaction<DB>;
const NO_ASSETS = { vehicles: 0, motorcycles: 0, phones: 0, cashKhr: 0, cashUsd: 0, weapons: 0 };

export async function enforcementTree(db: Db) {
  const rows = await db.selectFrom('organisations').select(['id', 'parent_id']).where('sector', '=', 'enforcement').execute();
  return rows.map((r) => ({ id: r.id, parentId: r.parent_id }));
}

async function checkPlace(db: Db, input: CaseInput) {
  if (input.districtCode) {
    const d = await db.selectFrom('districts').select('province_code').where('code', '=', input.districtCode).executeTakeFirst();
    if (!d) throw badRequest('districtCode: is not a known district', [{ path: 'districtCode', message: 'is not a known district' }]);
    if (d.province_code !== input.provinceCode) throw badRequest('districtCode: is not in the province', [{ path: 'districtCode', message: 'is not in the province' }]);
  }
  if (input.communeCode) {
    const c = await db.selectFrom('communes').select('code').where('code', '=', input.communeCode).executeTakeFirst();
    if (!c) throw badRequest('communeCode: is not a known commune', [{ path: 'communeCode', message: 'is not a known commune' }]);
  }
}

export class CaseService {
  constructor(private db: Database) {}

  async scope(actor: Actor | null, action: 'case.read' | 'case.write', db: Db = this.db): Promise<string[]> {
    return caseScope(actor, action, await enforcementTree(db));
  }

  async list(actor: Actor | null, q: { from?: string; to?: string; includeVoided?: boolean; limit: number; offset: number }) {
    const orgs = await this.scope(actor, 'case.read');
    let query = this.db
      .selectFrom('enforcement_cases as c')
      .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
      .select(['c.id', 'c.unit_reference', 'o.name', 'c.occurred_on', 'c.province_code', 'c.case_type', 'c.persons_count', 'c.voided_at'])
      .where('c.organisation_id', 'in', orgs);
    if (q.from) query = query.where('c.occurred_on', '>=', q.from);
    if (q.to) query = query.where('c.occurred_on', '<=', q.to);
    if (!q.includeVoided) query = query.where('c.voided_at', 'is', null);
    const rows = await query.orderBy('c.occurred_on', 'desc').orderBy('c.created_at', 'desc').limit(q.limit).offset(q.offset).execute();
    return rows.map(
      (r): CaseListItem => ({
        id: r.id,
        unitReference: r.unit_reference,
        organisationName: r.name,
        occurredOn: r.occurred_on,
        provinceCode: r.province_code,
        caseType: r.case_type,
        persons: r.persons_count,
        voided: r.voided_at !== null,
      }),
    );
  }

  private async load(db: Db, id: string, orgs: string[]): Promise<CaseDto> {
    const c = await db
      .selectFrom('enforcement_cases as c')
      .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
      .selectAll('c')
      .select('o.name as organisation_name')
      .where('c.id', '=', id)
      .where('c.organisation_id', 'in', orgs)
      .executeTakeFirst();
    if (!c) throw notFound('case');
    const persons = await db.selectFrom('case_persons').selectAll().where('case_id', '=', id).orderBy('position').execute();
    const seizures = await db.selectFrom('case_seizures').selectAll().where('case_id', '=', id).orderBy('position').execute();
    return {
      id: c.id,
      organisationId: c.organisation_id,
      organisationName: c.organisation_name,
      unitReference: c.unit_reference,
      occurredOn: c.occurred_on,
      reportedOn: c.reported_on,
      provinceCode: c.province_code,
      districtCode: c.district_code,
      communeCode: c.commune_code,
      caseType: c.case_type as CaseDto['caseType'],
      persons: persons.map((p) => ({
        id: p.id,
        role: p.role as never,
        sex: p.sex as never,
        ageBand: p.age_band as never,
        nationality: p.nationality,
        disposition: p.disposition as never,
      })),
      seizures: seizures.map((s) => ({ drug: s.drug as never, quantity: Number(s.quantity), unit: s.unit as never })),
      assets: {
        vehicles: c.vehicles,
        motorcycles: c.motorcycles,
        phones: c.phones,
        cashKhr: Number(c.cash_khr),
        cashUsd: Number(c.cash_usd),
        weapons: c.weapons,
      },
      version: c.version,
      voided: c.voided_at !== null,
      voidReason: c.void_reason,
      voidedAt: c.voided_at ? new Date(c.voided_at).toISOString() : null,
      createdAt: new Date(c.created_at).toISOString(),
      updatedAt: new Date(c.updated_at).toISOString(),
    };
  }

  async get(actor: Actor | null, id: string): Promise<CaseDto> {
    return this.load(this.db, id, await this.scope(actor, 'case.read'));
  }

  /** Insert persons and seizures of a case (used by create, update and the CSV import). */
  static async writeChildren(trx: Transaction<DB>, caseId: string, orgId: string, input: Pick<CaseInput, 'persons' | 'seizures'>) {
    if (input.persons.length) {
      await trx
        .insertInto('case_persons')
        .values(
          input.persons.map((p, i) => ({
            id: p.id ?? randomUUID(),
            case_id: caseId,
            organisation_id: orgId,
            position: i,
            role: p.role,
            sex: p.sex,
            age_band: p.ageBand,
            nationality: p.nationality,
            disposition: p.disposition,
          })),
        )
        .execute();
    }
    if (input.seizures.length) {
      await trx
        .insertInto('case_seizures')
        .values(input.seizures.map((s, i) => ({ id: randomUUID(), case_id: caseId, organisation_id: orgId, position: i, drug: s.drug, quantity: s.quantity, unit: s.unit })))
        .execute();
    }
  }

  static caseColumns(input: CaseInput) {
    return {
      unit_reference: input.unitReference,
      occurred_on: input.occurredOn,
      reported_on: input.reportedOn,
      province_code: input.provinceCode,
      district_code: input.districtCode ?? null,
      commune_code: input.communeCode ?? null,
      case_type: input.caseType,
      vehicles: input.assets.vehicles,
      motorcycles: input.assets.motorcycles,
      phones: input.assets.phones,
      cash_khr: input.assets.cashKhr,
      cash_usd: input.assets.cashUsd,
      weapons: input.assets.weapons,
      persons_count: input.persons.length,
    };
  }

  async create(actor: Actor | null, input: CaseInput, who: AuditWho): Promise<CaseDto> {
    await this.scope(actor, 'case.write');
    const orgId = actor!.organisationId;
    if (input.persons.some((p) => p.id)) throw badRequest('persons: a new case cannot carry person ids', [{ path: 'persons', message: 'a new case cannot carry person ids' }]);
    return this.db.transaction().execute(async (trx) => {
      await checkPlace(trx, input);
      const taken = await trx
        .selectFrom('enforcement_cases')
        .select('id')
        .where('organisation_id', '=', orgId)
        .where('unit_reference', '=', input.unitReference)
        .executeTakeFirst();
      if (taken) throw conflict('unitReference', 'your unit already has a case with this reference');
      const id = randomUUID();
      const now = new Date();
      await trx
        .insertInto('enforcement_cases')
        .values({ id, organisation_id: orgId, ...CaseService.caseColumns(input), version: 1, created_by: actor!.accountId, created_at: now, updated_at: now })
        .execute();
      await CaseService.writeChildren(trx, id, orgId, input);
      await applyDelta(trx, [], [{ organisationId: orgId, ...input }]);
      const dto = await this.load(trx, id, [orgId]);
      await recordAudit(trx, who, { action: 'case.create', entity: 'enforcement_case', entityId: id, details: { after: snapshot(dto) } });
      return dto;
    });
  }

  /** A correction: the whole case is replaced; `version` must be the one the clerk saw (409 otherwise). */
  async update(actor: Actor | null, id: string, input: CaseInput & { version: number }, who: AuditWho): Promise<CaseDto> {
    return this.db.transaction().execute(async (trx) => {
      const orgs = await this.scope(actor, 'case.write', trx);
      const locked = await trx.selectFrom('enforcement_cases').select(['id']).where('id', '=', id).where('organisation_id', 'in', orgs).forUpdate().executeTakeFirst();
      if (!locked) throw notFound('case');
      const before = await this.load(trx, id, orgs);
      if (before.voided) throw new HttpError(409, 'voided', 'this case is voided and cannot be changed', [{ path: 'id', message: 'this case is voided' }]);
      if (before.version !== input.version)
        throw new HttpError(409, 'stale', 'version: the case was changed by someone else; reload it', [{ path: 'version', message: 'the case was changed by someone else; reload it' }]);
      const known = new Set(before.persons.map((p) => p.id));
      const bad = input.persons.findIndex((p) => p.id && !known.has(p.id));
      if (bad >= 0) throw badRequest(`persons.${bad}.id: is not a person of this case`, [{ path: `persons.${bad}.id`, message: 'is not a person of this case' }]);
      const twice = input.persons.findIndex((p, i) => p.id && input.persons.findIndex((q) => q.id === p.id) !== i);
      if (twice >= 0) throw badRequest(`persons.${twice}.id: is given twice`, [{ path: `persons.${twice}.id`, message: 'is given twice' }]);
      await checkPlace(trx, input);
      if (input.unitReference !== before.unitReference) {
        const taken = await trx
          .selectFrom('enforcement_cases')
          .select('id')
          .where('organisation_id', '=', before.organisationId)
          .where('unit_reference', '=', input.unitReference)
          .executeTakeFirst();
        if (taken) throw conflict('unitReference', 'your unit already has a case with this reference');
      }
      await trx
        .updateTable('enforcement_cases')
        .set({ ...CaseService.caseColumns(input), version: before.version + 1, updated_at: new Date() })
        .where('id', '=', id)
        .execute();
      await trx.deleteFrom('case_persons').where('case_id', '=', id).execute();
      await trx.deleteFrom('case_seizures').where('case_id', '=', id).execute();
      await CaseService.writeChildren(trx, id, before.organisationId, input);
      await applyDelta(trx, [before], [{ organisationId: before.organisationId, ...input }]);
      const after = await this.load(trx, id, orgs);
      await recordAudit(trx, who, { action: 'case.update', entity: 'enforcement_case', entityId: id, details: { before: snapshot(before), after: snapshot(after) } });
      return after;
    });
  }

  /** A later change of one person's disposition (first pending, later sent to court). */
  async setDisposition(actor: Actor | null, caseId: string, personId: string, disposition: Disposition, who: AuditWho): Promise<CaseDto> {
    return this.db.transaction().execute(async (trx) => {
      const orgs = await this.scope(actor, 'case.write', trx);
      const c = await trx
        .selectFrom('enforcement_cases')
        .select(['id', 'voided_at', 'version', 'organisation_id', 'occurred_on', 'province_code', 'district_code', 'case_type'])
        .where('id', '=', caseId)
        .where('organisation_id', 'in', orgs)
        .forUpdate()
        .executeTakeFirst();
      if (!c) throw notFound('case');
      if (c.voided_at) throw new HttpError(409, 'voided', 'this case is voided and cannot be changed', [{ path: 'id', message: 'this case is voided' }]);
      const p = await trx.selectFrom('case_persons').select(['role', 'sex', 'age_band', 'nationality', 'disposition']).where('id', '=', personId).where('case_id', '=', caseId).executeTakeFirst();
      if (!p) throw notFound('person');
      await trx.updateTable('case_persons').set({ disposition }).where('id', '=', personId).execute();
      // The person moves from one disposition to the other; the case's other figures are unchanged (they net out).
      const person = { role: p.role, sex: p.sex, ageBand: p.age_band, nationality: p.nationality };
      const place = { organisationId: c.organisation_id, occurredOn: c.occurred_on, provinceCode: c.province_code, districtCode: c.district_code, caseType: c.case_type, assets: NO_ASSETS, seizures: [] };
      await applyDelta(trx, [{ ...place, persons: [{ ...person, disposition: p.disposition }] }], [{ ...place, persons: [{ ...person, disposition }] }]);
      await trx.updateTable('enforcement_cases').set({ version: c.version + 1, updated_at: new Date() }).where('id', '=', caseId).execute();
      await recordAudit(trx, who, {
        action: 'case.disposition',
        entity: 'enforcement_case',
        entityId: caseId,
        details: { personId, before: { disposition: p.disposition }, after: { disposition } },
      });
      return this.load(trx, caseId, orgs);
    });
  }

  /** Void: never deleted; a voided case leaves every figure. */
  async void(actor: Actor | null, id: string, reason: string, who: AuditWho): Promise<CaseDto> {
    return this.db.transaction().execute(async (trx) => {
      const orgs = await this.scope(actor, 'case.write', trx);
      const c = await trx.selectFrom('enforcement_cases').select(['id', 'voided_at', 'version']).where('id', '=', id).where('organisation_id', 'in', orgs).forUpdate().executeTakeFirst();
      if (!c) throw notFound('case');
      if (c.voided_at) throw new HttpError(409, 'voided', 'this case is already voided', [{ path: 'id', message: 'this case is already voided' }]);
      const before = await this.load(trx, id, orgs);
      await trx.updateTable('enforcement_cases').set({ voided_at: new Date(), void_reason: reason, version: c.version + 1, updated_at: new Date() }).where('id', '=', id).execute();
      await applyDelta(trx, [before], []); // a voided case leaves every figure
      await recordAudit(trx, who, { action: 'case.void', entity: 'enforcement_case', entityId: id, details: { reason } });
      return this.load(trx, id, orgs);
    });
  }

  /** The case's audit entries (who changed what, with before/after), for the case page. */
  async history(actor: Actor | null, id: string) {
    const orgs = await this.scope(actor, 'case.read');
    const c = await this.db.selectFrom('enforcement_cases').select('id').where('id', '=', id).where('organisation_id', 'in', orgs).executeTakeFirst();
    if (!c) throw notFound('case');
    const rows = await this.db
      .selectFrom('audit_log as l')
      .leftJoin('accounts as a', 'a.id', 'l.account_id')
      .select(['l.seq', 'l.at', 'a.username', 'l.action', 'l.details'])
      .where('l.entity', '=', 'enforcement_case')
      .where('l.entity_id', '=', id)
      .orderBy('l.seq')
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      at: new Date(r.at).toISOString(),
      username: r.username,
      action: r.action,
      details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
    }));
  }

  /** The unit's usual place: the place of its most recent cases (most frequent among the last 20), else the unit's own place. */
  async defaults(actor: Actor | null) {
    await this.scope(actor, 'case.write');
    const orgId = actor!.organisationId;
    const recent = await this.db
      .selectFrom('enforcement_cases')
      .select(['province_code', 'district_code', 'commune_code'])
      .where('organisation_id', '=', orgId)
      .orderBy('created_at', 'desc')
      .limit(20)
      .execute();
    if (recent.length) {
      const counts = new Map<string, { n: number; r: (typeof recent)[number] }>();
      for (const r of recent) {
        const k = `${r.province_code}|${r.district_code}|${r.commune_code}`;
        const e = counts.get(k) ?? { n: 0, r };
        e.n++;
        counts.set(k, e);
      }
      const best = [...counts.values()].sort((a, b) => b.n - a.n)[0].r;
      return { provinceCode: best.province_code, districtCode: best.district_code, communeCode: best.commune_code };
    }
    const org = await this.db.selectFrom('organisations').select(['province_code', 'district_code', 'commune_code']).where('id', '=', orgId).executeTakeFirstOrThrow();
    return { provinceCode: org.province_code, districtCode: org.district_code, communeCode: org.commune_code };
  }
}

/** What the audit keeps of a case: the editable content, never more. */
function snapshot(c: CaseDto) {
  return {
    unitReference: c.unitReference,
    occurredOn: c.occurredOn,
    reportedOn: c.reportedOn,
    provinceCode: c.provinceCode,
    districtCode: c.districtCode,
    communeCode: c.communeCode,
    caseType: c.caseType,
    persons: c.persons,
    seizures: c.seizures,
    assets: c.assets,
  };
}
