/** Kysely table types. Each table mirrors a migration in ./migrations. */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { OrgKind, Role, Sector } from '../../core/roles.js';
import type { EnforcementAggregateTables } from './schema-aggregates-enforcement.js';
import type { TreatmentAggregateTables } from './schema-aggregates-treatment.js';
import type { EducationAggregateTables } from './schema-aggregates-education.js';
import type { HarmReductionAggregateTables } from './schema-aggregates-harm-reduction.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ProvinceTable {
  code: string;
  number: number;
  name_en: string;
  name_km: string;
}
export interface DistrictTable {
  code: string;
  province_code: string;
  name_en: string;
  name_km: string;
}
export interface CommuneTable {
  code: string;
  district_code: string;
  name_en: string;
  name_km: string;
}
export interface OrganisationTable {
  id: string;
  name: string;
  sector: Sector;
  kind: OrgKind;
  province_code: string;
  district_code: string | null;
  commune_code: string | null;
  status: 'active' | 'closed';
  parent_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface AccountTable {
  id: string;
  organisation_id: string;
  username: string;
  password_hash: string;
  role: Role;
  locale: 'en' | 'km';
  must_change_password: boolean;
  disabled: boolean;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface SessionTable {
  id: string; // sha-256 of the cookie token; the token itself is never stored
  account_id: string;
  csrf_token: string;
  ip: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}
export interface AuditTable {
  seq: Generated<string>; // bigint; string from pg, number from PGlite: use Number()
  at: Timestamp;
  account_id: string | null;
  organisation_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  ip: string | null;
  details: ColumnType<unknown, string, string>;
  prev_hash: string;
  hash: string;
}

/** Dates are 'YYYY-MM-DD' strings in and out (see db/index.ts: the date type is not parsed to a JS Date). */
export interface CampaignTable {
  id: string;
  name_en: string;
  name_km: string;
  start_date: string;
  end_date: string | null;
  pillars: ColumnType<string[], string, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export type Numeric = ColumnType<number, number | string, number | string>;
export interface EnforcementCaseTable {
  id: string;
  organisation_id: string;
  unit_reference: string;
  occurred_on: string;
  reported_on: string;
  province_code: string;
  district_code: string | null;
  commune_code: string | null;
  case_type: string;
  vehicles: number;
  motorcycles: number;
  phones: number;
  cash_khr: Numeric;
  cash_usd: Numeric;
  weapons: number;
  persons_count: number;
  voided_at: Timestamp | null;
  void_reason: string | null;
  version: number;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface CasePersonTable {
  id: string;
  case_id: string;
  organisation_id: string;
  position: number;
  role: string;
  sex: string;
  age_band: string;
  nationality: string;
  disposition: string;
}
export interface CaseSeizureTable {
  id: string;
  case_id: string;
  organisation_id: string;
  position: number;
  drug: string;
  quantity: Numeric;
  unit: string;
}

/** Harm reduction (client-level health data: always scoped by organisation_id). bigint change_seq as number. */
type BigintNumber = ColumnType<number, number | string, number | string>;
type Json<T> = ColumnType<T, string, string>;
export interface DeviceTable {
  id: string;
  organisation_id: string;
  account_id: string;
  label: string;
  created_at: Timestamp;
  last_seen_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}
export interface HotspotTable {
  organisation_id: string;
  id: string;
  code: string;
  district_code: string;
  active: boolean;
  change_seq: BigintNumber;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface OutreachClientTable {
  organisation_id: string;
  id: string;
  uic: string;
  sex: string;
  birth_year: number | null;
  first_contact_on: string;
  drugs: Json<string[]>;
  route: string;
  status: string;
  last_contact_at: Timestamp | null;
  merged_into: string | null;
  change_seq: BigintNumber;
  created_by: string;
  device_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface OutreachContactTable {
  organisation_id: string;
  id: string;
  client_id: string | null;
  at: Timestamp;
  setting: string;
  hotspot_id: string | null;
  needles: Json<Record<string, number>>;
  syringes: Json<Record<string, number>>;
  needles_total: number;
  syringes_total: number;
  returned: number;
  condoms: number;
  naloxone: number;
  hiv_test: string;
  hcv_test: string;
  counselling: boolean;
  wound_care: boolean;
  created_by: string;
  device_id: string | null;
  created_at: Timestamp;
}
export interface OutreachReferralTable {
  organisation_id: string;
  id: string;
  contact_id: string;
  client_id: string | null;
  target: string;
  outcome: string;
  outcome_on: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface OutreachDuplicateDecisionTable {
  organisation_id: string;
  client_a: string;
  client_b: string;
  decision: string;
  decided_by: string;
  decided_at: Timestamp;
}

export interface TreatmentCentreTable {
  id: string;
  name: string;
  name_km: string | null;
  organisation_id: string;
  kind: string;
  modality: string;
  admission_policy: string;
  capacity: number;
  province_code: string;
  district_code: string | null;
  status: string;
  version: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface TreatmentAdmissionTable {
  id: string;
  organisation_id: string;
  centre_id: string;
  uic: string;
  admitted_on: string;
  referral_source: string;
  legal_basis: string;
  consent_recorded: boolean;
  primary_drug: string;
  secondary_drugs: Json<string[]>;
  route: string;
  injecting: string;
  previous_treatment: string;
  sex: string;
  age_band: string;
  discharged_on: string | null;
  discharge_reason: string | null;
  voided_at: Timestamp | null;
  void_reason: string | null;
  version: number;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}
export interface EducationSessionTable {
  id: string;
  organisation_id: string;
  held_on: string;
  province_code: string;
  district_code: string | null;
  setting: string;
  topic: string;
  total: number;
  voided_at: Timestamp | null;
  void_reason: string | null;
  created_by: string;
  created_at: Timestamp;
}
export interface EducationParticipantTable {
  session_id: string;
  sex: string;
  age_band: string;
  count: number;
}

export interface DisclosureSecretTable {
  id: number;
  secret: string;
  created_at: Generated<Date>;
}

/** Every table; each pillar's maintained aggregates are declared in its own schema-aggregates-*.ts. */
export interface DB extends EnforcementAggregateTables, TreatmentAggregateTables, EducationAggregateTables, HarmReductionAggregateTables {
  treatment_centres: TreatmentCentreTable;
  treatment_admissions: TreatmentAdmissionTable;
  education_sessions: EducationSessionTable;
  education_participants: EducationParticipantTable;
  devices: DeviceTable;
  hotspots: HotspotTable;
  outreach_clients: OutreachClientTable;
  outreach_contacts: OutreachContactTable;
  outreach_referrals: OutreachReferralTable;
  outreach_duplicate_decisions: OutreachDuplicateDecisionTable;
  campaigns: CampaignTable;
  enforcement_cases: EnforcementCaseTable;
  case_persons: CasePersonTable;
  case_seizures: CaseSeizureTable;
  provinces: ProvinceTable;
  districts: DistrictTable;
  communes: CommuneTable;
  organisations: OrganisationTable;
  accounts: AccountTable;
  sessions: SessionTable;
  audit_log: AuditTable;
  disclosure_secret: DisclosureSecretTable;
}

export type AccountRow = Selectable<AccountTable>;
export type OrganisationRow = Selectable<OrganisationTable>;
export type NewAudit = Insertable<AuditTable>;
