/**
 * Treatment pillar service (issue 5; docs/treatment-api.md): the centre register, admissions and discharges, a
 * centre's exact figures and the suppressed national view.
 *
 * The register holds no client data (every signed-in user reads it; the administrator keeps it). Admissions are
 * client-level: every query is scoped through the access policy's clientScope to the actor's own health organisation
 * (the one that runs the centre), and another organisation's id answers exactly like an unknown one. Every write and
 * every read of admissions is audited in the same transaction; audit entries name a stay by a pseudonym (never its
 * id or UIC in clear: the audit trail is read outside the organisation). Every admission, discharge and void changes
 * the maintained summaries in the same transaction (./aggregates.ts); the centre view and the national view read
 * those summaries only, and the figures are shaped by the pure functions of src/core/indicators/treatment.ts. The
 * national view is released through the disclosure control (src/server/disclosure/release.ts) for a fixed period.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/index.js';
import type { DB } from '../db/schema.js';
import { authorize, clientScope, type Actor } from '../policy.js';
import { recordAudit, type AuditWho } from '../audit/service.js';
import { badRequest, conflict, HttpError, notFound } from '../http/errors.js';
import { pseudonym } from '../outreach/service.js';
import { daysBetween, todayInCambodia, type DateRange } from '../../core/dates.js';
import type { Campaign, Period } from '../../core/periods.js';
import { releaseTables } from '../disclosure/release.js';
import { addAdmission, addDischarge, centreCounts, inCareOnDay, TreatmentCountSource, type StayFacts } from './aggregates.js';
import {
  overlappingStay,
  type AdmissionDto,
  type AdmissionInput,
  type CentreDto,
  type CentreKind,
  type CentreStatus,
  type CreateCentre,
  type DischargeInput,
  type UpdateCentre,
  type VoidAdmissionInput,
} from '../../core/treatment.js';
import { centreView, nationalView, NATIONAL_VIEW_TABLES, TREATMENT_SPECS, type CentreView, type NationalView } from '../../core/indicators/treatment.js';

type Trx = Transaction<DB>;
type Db = Database | Trx;

export interface CentreFilter {
  status?: CentreStatus;
  kind?: CentreKind;
  province?: string;
}

export interface AdmissionFilter {
  centreId?: string;
  inCare?: boolean;
  /** A UIC or its beginning, upper-cased. */
  uic?: string;
  limit: number;
  offset: number;
}

const parseJson = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const int = (e: ReturnType<typeof sql>) => sql<number>`(${e})::int`;

const CENTRE_COLUMNS = [
  'c.id',
  'c.name',
  'c.name_km',
  'c.organisation_id',
  'o.name as organisation_name',
  'c.kind',
  'c.modality',
  'c.admission_policy',
  'c.capacity',
  'c.province_code',
  'c.district_code',
  'c.status',
  'c.version',
] as const;

type CentreRow = {
  id: string;
  name: string;
  name_km: string | null;
  organisation_id: string;
  organisation_name: string;
  kind: string;
  modality: string;
  admission_policy: string;
  capacity: number;
  province_code: string;
  district_code: string | null;
  status: string;
  version: number;
};

const toCentre = (r: CentreRow): CentreDto => ({
  id: r.id,
  name: r.name,
  nameKm: r.name_km,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  kind: r.kind as CentreDto['kind'],
  modality: r.modality as CentreDto['modality'],
  admissionPolicy: r.admission_policy as CentreDto['admissionPolicy'],
  capacity: r.capacity,
  provinceCode: r.province_code,
  districtCode: r.district_code,
  status: r.status as CentreDto['status'],
  version: r.version,
});

/** The register fields of a centre, for the audit trail's before/after (no client data in them). */
const registerFields = (c: CentreDto) => {
  const { organisationName: _name, ...rest } = c;
  return rest;
};

function toAdmission(r: {
  id: string;
  centre_id: string;
  uic: string;
  admitted_on: string;
  referral_source: string;
  legal_basis: string;
  consent_recorded: boolean;
  primary_drug: string;
  secondary_drugs: unknown;
  route: string;
  injecting: string;
  previous_treatment: string;
  sex: string;
  age_band: string;
  discharged_on: string | null;
  discharge_reason: string | null;
  voided_at: Date | string | null;
  void_reason: string | null;
  version: number;
}, today: string): AdmissionDto {
  return {
    id: r.id,
    centreId: r.centre_id,
    uic: r.uic,
    admittedOn: r.admitted_on,
    referralSource: r.referral_source as AdmissionDto['referralSource'],
    legalBasis: r.legal_basis as AdmissionDto['legalBasis'],
    consentRecorded: r.consent_recorded,
    primaryDrug: r.primary_drug,
    secondaryDrugs: parseJson<string[]>(r.secondary_drugs),
    route: r.route,
    injecting: r.injecting as AdmissionDto['injecting'],
    previousTreatment: r.previous_treatment as AdmissionDto['previousTreatment'],
    sex: r.sex,
    ageBand: r.age_band,
    dischargedOn: r.discharged_on,
    dischargeReason: r.discharge_reason as AdmissionDto['dischargeReason'],
    daysInCare: Math.max(0, daysBetween(r.admitted_on, r.discharged_on ?? today)),
    voidedAt: r.voided_at === null ? null : new Date(r.voided_at).toISOString(),
    voidReason: r.void_reason as AdmissionDto['voidReason'],
    version: r.version,
  };
}

const ADMISSION_COLUMNS = [
  'id',
  'centre_id',
  'uic',
  'admitted_on',
  'referral_source',
  'legal_basis',
  'consent_recorded',
  'primary_drug',
  'secondary_drugs',
  'route',
  'injecting',
  'previous_treatment',
  'sex',
  'age_band',
  'discharged_on',
  'discharge_reason',
  'voided_at',
  'void_reason',
  'version',
] as const;

const notOpenCentre = () => badRequest('centreId: is not an open centre of your organisation', [{ path: 'centreId', message: 'is not an open centre of your organisation' }]);

/** What an admission's summaries are made of (./aggregates.ts). */
const facts = (a: AdmissionInput): Omit<StayFacts, 'organisation_id' | 'discharged_on' | 'discharge_reason'> => ({
  centre_id: a.centreId,
  admitted_on: a.admittedOn,
  legal_basis: a.legalBasis,
  referral_source: a.referralSource,
  sex: a.sex,
  age_band: a.ageBand,
  primary_drug: a.primaryDrug,
});
const rowFacts = (org: string, r: { centre_id: string; admitted_on: string; legal_basis: string; referral_source: string; sex: string; age_band: string; primary_drug: string; discharged_on: string | null; discharge_reason: string | null }): StayFacts => ({
  organisation_id: org,
  centre_id: r.centre_id,
  admitted_on: r.admitted_on,
  legal_basis: r.legal_basis,
  referral_source: r.referral_source,
  sex: r.sex,
  age_band: r.age_band,
  primary_drug: r.primary_drug,
  discharged_on: r.discharged_on,
  discharge_reason: r.discharge_reason,
});

/** One stay of the organisation, every column the DTO needs (the organisation key is part of every lookup). */
const stay = (trx: Trx, org: string, id: string) => trx.selectFrom('treatment_admissions').select(ADMISSION_COLUMNS).where('organisation_id', '=', org).where('id', '=', id);

export class TreatmentService {
  constructor(readonly db: Database) {}

  // ------------------------------------------------------------------------------------------------ register

  private centres(db: Db) {
    return db.selectFrom('treatment_centres as c').innerJoin('organisations as o', 'o.id', 'c.organisation_id').select(CENTRE_COLUMNS);
  }

  async listCentres(actor: Actor | null, f: CentreFilter): Promise<CentreDto[]> {
    authorize(actor, 'centre.read');
    let q = this.centres(this.db);
    if (f.status) q = q.where('c.status', '=', f.status);
    if (f.kind) q = q.where('c.kind', '=', f.kind);
    if (f.province) q = q.where('c.province_code', '=', f.province);
    const rows = await q.execute();
    const number = (code: string) => Number(code.slice(3));
    return rows.map(toCentre).sort((a, b) => number(a.provinceCode) - number(b.provinceCode) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async getCentre(actor: Actor | null, id: string): Promise<CentreDto> {
    authorize(actor, 'centre.read');
    const r = await this.centres(this.db).where('c.id', '=', id).executeTakeFirst();
    if (!r) throw notFound('centre');
    return toCentre(r);
  }

  /** The organisation that runs a centre must be an active health organisation. */
  private async checkOrganisation(trx: Trx, id: string) {
    const o = await trx.selectFrom('organisations').select(['sector', 'status']).where('id', '=', id).executeTakeFirst();
    if (!o || o.sector !== 'health') throw badRequest('organisationId: must be a health organisation', [{ path: 'organisationId', message: 'must be a health organisation' }]);
    if (o.status !== 'active') throw badRequest('organisationId: must be an active health organisation', [{ path: 'organisationId', message: 'must be an active health organisation' }]);
  }

  /** The district, when given, must exist and lie in the province. */
  private async checkPlace(trx: Trx, provinceCode: string, districtCode: string | null) {
    if (!districtCode) return;
    const d = await trx.selectFrom('districts').select('province_code').where('code', '=', districtCode).executeTakeFirst();
    if (!d) throw badRequest('districtCode: is not a known district', [{ path: 'districtCode', message: 'is not a known district' }]);
    if (d.province_code !== provinceCode) throw badRequest('districtCode: is not in the province', [{ path: 'districtCode', message: 'is not in the province' }]);
  }

  private async checkName(trx: Trx, name: string, except: string | null) {
    let q = trx.selectFrom('treatment_centres').select('id').where('name', '=', name);
    if (except) q = q.where('id', '<>', except);
    if (await q.executeTakeFirst()) throw conflict('name', 'is already taken');
  }

  /** Two administrators saving the same name at once: the unique index answers; that is the same 409 on `name`. */
  private async nameRace<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      const err = e as { code?: string; constraint?: string; message?: string };
      if (err.code === '23505' && (err.constraint === 'treatment_centres_name_uq' || err.message?.includes('treatment_centres_name_uq'))) throw conflict('name', 'is already taken');
      throw e;
    }
  }

  async createCentre(actor: Actor | null, input: CreateCentre, who: AuditWho): Promise<CentreDto> {
    authorize(actor, 'centre.write');
    return this.nameRace(() =>
      this.db.transaction().execute(async (trx) => {
        await this.checkOrganisation(trx, input.organisationId);
        await this.checkPlace(trx, input.provinceCode, input.districtCode ?? null);
        await this.checkName(trx, input.name, null);
        const id = randomUUID();
        const now = new Date();
        await trx
          .insertInto('treatment_centres')
          .values({
            id,
            name: input.name,
            name_km: input.nameKm ?? null,
            organisation_id: input.organisationId,
            kind: input.kind,
            modality: input.modality,
            admission_policy: input.admissionPolicy,
            capacity: input.capacity,
            province_code: input.provinceCode,
            district_code: input.districtCode ?? null,
            status: input.status,
            version: 1,
            created_at: now,
            updated_at: now,
          })
          .execute();
        const dto = toCentre(await this.centres(trx).where('c.id', '=', id).executeTakeFirstOrThrow());
        await recordAudit(trx, who, { action: 'centre.create', entity: 'treatment_centre', entityId: id, details: { after: registerFields(dto) } });
        return dto;
      }),
    );
  }

  async updateCentre(actor: Actor | null, id: string, input: UpdateCentre, who: AuditWho): Promise<CentreDto> {
    authorize(actor, 'centre.write');
    return this.nameRace(() =>
      this.db.transaction().execute(async (trx) => {
        const locked = await trx.selectFrom('treatment_centres').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
        if (!locked) throw notFound('centre');
        const before = toCentre(await this.centres(trx).where('c.id', '=', id).executeTakeFirstOrThrow());
        if (input.version !== before.version) throw conflict('version', 'the centre was changed meanwhile; reload it and try again');
        const provinceCode = input.provinceCode ?? before.provinceCode;
        // a new province without a district clears the old district (it lies in the old province)
        const districtCode = input.districtCode === undefined ? (input.provinceCode && input.provinceCode !== before.provinceCode ? null : before.districtCode) : input.districtCode;
        await this.checkPlace(trx, provinceCode, districtCode);
        if (input.name !== undefined && input.name !== before.name) await this.checkName(trx, input.name, id);
        const status = input.status ?? before.status;
        if (status !== before.status) {
          const stays = await trx
            .selectFrom('treatment_admissions')
            .select([int(sql`count(*)`).as('all'), int(sql`count(*) filter (where discharged_on is null)`).as('open')])
            .where('centre_id', '=', id)
            .where('voided_at', 'is', null)
            .executeTakeFirstOrThrow();
          if (status === 'planned' && stays.all > 0) throw badRequest('status: a centre with admissions cannot be planned', [{ path: 'status', message: 'a centre with admissions cannot be planned' }]);
          if (status === 'closed' && stays.open > 0)
            throw badRequest('status: clients are still in care here; they must be discharged first', [{ path: 'status', message: 'clients are still in care here; they must be discharged first' }]);
        }
        await trx
          .updateTable('treatment_centres')
          .set({
            name: input.name ?? before.name,
            name_km: input.nameKm === undefined ? before.nameKm : input.nameKm,
            kind: input.kind ?? before.kind,
            modality: input.modality ?? before.modality,
            admission_policy: input.admissionPolicy ?? before.admissionPolicy,
            capacity: input.capacity ?? before.capacity,
            province_code: provinceCode,
            district_code: districtCode,
            status,
            version: before.version + 1,
            updated_at: new Date(),
          })
          .where('id', '=', id)
          .execute();
        const after = toCentre(await this.centres(trx).where('c.id', '=', id).executeTakeFirstOrThrow());
        await recordAudit(trx, who, { action: 'centre.update', entity: 'treatment_centre', entityId: id, details: { before: registerFields(before), after: registerFields(after) } });
        return after;
      }),
    );
  }

  // ------------------------------------------------------------------------------------------------ admissions

  /** List the organisation's stays (newest admission first), with the total for paging. Audited as a read. */
  async listAdmissions(actor: Actor | null, f: AdmissionFilter, who: AuditWho): Promise<{ items: AdmissionDto[]; total: number }> {
    const { organisationId: org } = clientScope(actor, 'admission.read');
    const today = todayInCambodia();
    return this.db.transaction().execute(async (trx) => {
      // a voided stay (entered in error) leaves the list
      let q = trx.selectFrom('treatment_admissions').where('organisation_id', '=', org).where('voided_at', 'is', null);
      if (f.centreId) q = q.where('centre_id', '=', f.centreId);
      if (f.inCare === true) q = q.where('admitted_on', '<=', today).where((eb) => eb.or([eb('discharged_on', 'is', null), eb('discharged_on', '>', today)]));
      if (f.inCare === false) q = q.where((eb) => eb.or([eb('admitted_on', '>', today), eb('discharged_on', '<=', today)]));
      if (f.uic) q = q.where('uic', 'like', `${f.uic.replace(/[%_\\]/g, '')}%`);
      const { total } = await q.select(int(sql`count(*)`).as('total')).executeTakeFirstOrThrow();
      const rows = await q.select(ADMISSION_COLUMNS).orderBy('admitted_on', 'desc').orderBy('created_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute();
      await recordAudit(trx, who, {
        action: 'admission.read',
        entity: 'treatment_admission',
        details: { via: 'list', search: !!f.uic, inCare: f.inCare ?? null, count: rows.length, total },
      });
      return { items: rows.map((r) => toAdmission(r, today)), total };
    });
  }

  /** One stay (404 outside the organisation, exactly like an unknown id). Audited as a read. */
  async getAdmission(actor: Actor | null, id: string, who: AuditWho): Promise<AdmissionDto> {
    const { organisationId: org } = clientScope(actor, 'admission.read');
    return this.db.transaction().execute(async (trx) => {
      const r = await stay(trx, org, id).executeTakeFirst();
      if (!r) throw notFound('admission');
      await recordAudit(trx, who, { action: 'admission.read', entity: 'treatment_admission', entityId: pseudonym(org, id), details: { via: 'admission', count: 1 } });
      return toAdmission(r, todayInCambodia());
    });
  }

  /**
   * Admit a client (by UIC) to an open centre of the organisation. The centre row is locked for the transaction, so
   * that two admissions of the same UIC to the same centre at once cannot both pass the overlap check.
   */
  async admit(actor: Actor | null, input: AdmissionInput, who: AuditWho): Promise<AdmissionDto> {
    const { organisationId: org } = clientScope(actor, 'admission.write');
    return this.db.transaction().execute(async (trx) => {
      const centre = await trx.selectFrom('treatment_centres').select(['organisation_id', 'status']).where('id', '=', input.centreId).forUpdate().executeTakeFirst();
      // one answer for an unknown centre, another organisation's, and a closed or planned one of the own organisation
      if (!centre || centre.organisation_id !== org || centre.status !== 'open') throw notOpenCentre();
      const stays = await trx
        .selectFrom('treatment_admissions')
        .select(['admitted_on as admittedOn', 'discharged_on as dischargedOn'])
        .where('organisation_id', '=', org)
        .where('centre_id', '=', input.centreId)
        .where('uic', '=', input.uic)
        .where('voided_at', 'is', null) // a voided stay never blocks a new admission
        .orderBy('admitted_on', 'desc')
        .execute();
      const clash = overlappingStay(stays, input.admittedOn);
      if (clash) {
        const message = `overlaps a stay of this client in this centre (admitted ${clash.admittedOn})`;
        throw new HttpError(409, 'overlap', `admittedOn: ${message}`, [{ path: 'admittedOn', message }]);
      }
      const id = randomUUID();
      const now = new Date();
      await trx
        .insertInto('treatment_admissions')
        .values({
          id,
          organisation_id: org,
          centre_id: input.centreId,
          uic: input.uic,
          admitted_on: input.admittedOn,
          referral_source: input.referralSource,
          legal_basis: input.legalBasis,
          consent_recorded: input.consentRecorded,
          primary_drug: input.primaryDrug,
          secondary_drugs: JSON.stringify(input.secondaryDrugs),
          route: input.route,
          injecting: input.injecting,
          previous_treatment: input.previousTreatment,
          sex: input.sex,
          age_band: input.ageBand,
          discharged_on: null,
          discharge_reason: null,
          version: 1,
          created_by: actor!.accountId,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await addAdmission(trx, { ...facts(input), organisation_id: org, discharged_on: null, discharge_reason: null }, 1);
      await recordAudit(trx, who, { action: 'admission.create', entity: 'treatment_admission', entityId: pseudonym(org, id), details: { centreId: input.centreId } });
      const r = await stay(trx, org, id).executeTakeFirstOrThrow();
      return toAdmission(r, todayInCambodia());
    });
  }

  /** Discharge an open stay: not before its admission, not twice, with the version the user loaded. */
  async discharge(actor: Actor | null, id: string, input: DischargeInput, who: AuditWho): Promise<AdmissionDto> {
    const { organisationId: org } = clientScope(actor, 'admission.write');
    return this.db.transaction().execute(async (trx) => {
      const r = await stay(trx, org, id).forUpdate().executeTakeFirst();
      if (!r) throw notFound('admission');
      if (r.voided_at !== null) throw conflict('dischargedOn', 'this stay is voided');
      if (r.discharged_on !== null) throw conflict('dischargedOn', 'this stay is already discharged');
      if (input.version !== r.version) throw conflict('version', 'the stay was changed meanwhile; reload it and try again');
      if (input.dischargedOn < r.admitted_on) {
        const message = `must not be before the admission (${r.admitted_on})`;
        throw badRequest(`dischargedOn: ${message}`, [{ path: 'dischargedOn', message }]);
      }
      await trx
        .updateTable('treatment_admissions')
        .set({ discharged_on: input.dischargedOn, discharge_reason: input.reason, version: r.version + 1, updated_at: new Date() })
        .where('organisation_id', '=', org)
        .where('id', '=', id)
        .execute();
      await addDischarge(trx, { ...rowFacts(org, r), discharged_on: input.dischargedOn, discharge_reason: input.reason }, 1);
      await recordAudit(trx, who, {
        action: 'admission.discharge',
        entity: 'treatment_admission',
        entityId: pseudonym(org, id),
        details: { before: { dischargeReason: null, version: r.version }, after: { dischargeReason: input.reason, version: r.version + 1 } },
      });
      const after = await stay(trx, org, id).executeTakeFirstOrThrow();
      return toAdmission(after, todayInCambodia());
    });
  }

  /**
   * Void a stay entered in error (wrong UIC, wrong centre, entered twice): the row stays, marked with when and why, and
   * leaves every list, figure and rule; only GET of the one stay still answers it. Not twice, with the loaded version.
   */
  async voidAdmission(actor: Actor | null, id: string, input: VoidAdmissionInput, who: AuditWho): Promise<AdmissionDto> {
    const { organisationId: org } = clientScope(actor, 'admission.write');
    return this.db.transaction().execute(async (trx) => {
      const r = await stay(trx, org, id).forUpdate().executeTakeFirst();
      if (!r) throw notFound('admission');
      if (r.voided_at !== null) throw conflict('reason', 'this stay is already voided');
      if (input.version !== r.version) throw conflict('version', 'the stay was changed meanwhile; reload it and try again');
      await trx
        .updateTable('treatment_admissions')
        .set({ voided_at: new Date(), void_reason: input.reason, version: r.version + 1, updated_at: new Date() })
        .where('organisation_id', '=', org)
        .where('id', '=', id)
        .execute();
      // a voided stay leaves every figure: its admission and, if it was discharged, its discharge
      await addAdmission(trx, rowFacts(org, r), -1);
      await addDischarge(trx, rowFacts(org, r), -1);
      await recordAudit(trx, who, {
        action: 'admission.void',
        entity: 'treatment_admission',
        entityId: pseudonym(org, id),
        details: { before: { version: r.version }, after: { reason: input.reason, version: r.version + 1 } },
      });
      const after = await stay(trx, org, id).executeTakeFirstOrThrow();
      return toAdmission(after, todayInCambodia());
    });
  }

  // ------------------------------------------------------------------------------------------------ figures

  /**
   * The exact figures of an own centre (404 for any other centre, like an unknown id), from the summaries: in care
   * today (prefix sums), the range's totals (its whole years, months and days) and its 7-day buckets. Audited as a
   * read.
   */
  async centreView(actor: Actor | null, id: string, range: DateRange, who: AuditWho): Promise<CentreView> {
    const { organisationId: org } = clientScope(actor, 'treatment.centre_view');
    const today = todayInCambodia();
    return this.db.transaction().execute(async (trx) => {
      const c = await this.centres(trx).where('c.id', '=', id).where('c.organisation_id', '=', org).executeTakeFirst();
      if (!c) throw notFound('centre');
      const [inCare, counts] = await Promise.all([inCareOnDay(trx, today, [], id), centreCounts(trx, id, range.from, range.to)]);
      await recordAudit(trx, who, { action: 'admission.read', entity: 'treatment_centre', entityId: id, details: { via: 'centre_view', from: range.from, to: range.to } });
      return centreView(toCentre(c), range, today, { inCareToday: inCare[0]?.n ?? 0, ...counts });
    });
  }

  /**
   * The national view for a fixed period: the register (exact: centres and places are not people) and every count
   * of people released through the disclosure control from the summaries (TREATMENT_MEASURES).
   */
  async national(actor: Actor | null, period: Period, campaign?: Campaign): Promise<NationalView> {
    authorize(actor, 'treatment.national');
    const db = this.db;
    const source = new TreatmentCountSource(db, campaign);
    // every table of the page in one release: the lines they share are read once
    const [centres, [kA, kI, kD, pA, pI, pD, byReferralSource, referrals]] = await Promise.all([
      db
        .selectFrom('treatment_centres as c')
        .select(['c.kind', 'c.province_code as provinceCode', 'c.status', int(sql`count(*)`).as('centres'), int(sql`coalesce(sum(c.capacity), 0)`).as('capacity')])
        .groupBy(['c.kind', 'c.province_code', 'c.status'])
        .execute(),
      releaseTables(
        TREATMENT_SPECS,
        source,
        NATIONAL_VIEW_TABLES.map(([measure, rows, columns]) => ({ measure, period, rows, columns })),
        campaign,
      ),
    ]);
    return nationalView(period, todayInCambodia(), centres, {
      byKind: { admissions: kA, inCare: kI, discharges: kD },
      byProvince: { admissions: pA, inCare: pI, discharges: pD },
      byReferralSource,
      referrals,
    });
  }

}
