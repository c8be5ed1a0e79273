/**
 * Kysely table types of the enforcement pillar's maintained aggregates (migration 20261202100000_enforcement_aggregates).
 * Written in the same transaction as the case they come from (src/server/enforcement/aggregates.ts); voided cases
 * contribute nothing. Every row is keyed by the organisation (so that summaries distribute with the facts), the day
 * the cases occurred and every dimension the report uses. `district_code` is '' when the case has no district (a NOT
 * NULL sentinel, so that the primary key serves `INSERT … ON CONFLICT … DO UPDATE` on PGlite and PostgreSQL alike).
 *
 * The tables with a `grain` hold each figure three times: per day ('day': `occurred_on` is the day), per calendar month
 * ('month': `occurred_on` is the month's first day) and per calendar year ('year': January 1st). A range is read as
 * its days up to the first whole month, its whole months up to the first whole year, its whole years, and so on
 * back down (see `periodCover`), so that five years cost about as much as one.
 */
/** numeric: parsed to a JS number on read (db/index.ts), written as a number or an exact decimal string. */
import type { Numeric } from './schema.js';
export type AggregateGrain = 'day' | 'month' | 'year';

/** The key every enforcement summary shares. */
export interface EnforcementAggregateKey {
  grain: AggregateGrain;
  occurred_on: string;
  province_code: string;
  /** '' when the case has no district. */
  district_code: string;
  case_type: string;
  organisation_id: string;
}

/** Cases, their assets, and their persons by role and sex (the report's totals, daily series and province map). */
export interface EnforcementAggCasesTable extends EnforcementAggregateKey {
  cases: number;
  vehicles: number;
  motorcycles: number;
  phones: number;
  cash_khr: Numeric;
  cash_usd: Numeric;
  weapons: number;
  suspected_trafficker_male: number;
  suspected_trafficker_female: number;
  suspected_trafficker_unknown: number;
  alleged_user_male: number;
  alleged_user_female: number;
  alleged_user_unknown: number;
  other_male: number;
  other_female: number;
  other_unknown: number;
}

/** Persons by one dimension at a time (age band, nationality, disposition), at the three grains. */
export interface EnforcementAggPersonDimsTable extends EnforcementAggregateKey {
  dimension: 'age_band' | 'nationality' | 'disposition';
  value: string;
  persons: number;
}

/** Seizures by drug and unit: the quantity (exact numeric sum), seizure rows and cases with such a seizure. */
export interface EnforcementAggSeizuresTable extends EnforcementAggregateKey {
  drug: string;
  unit: string;
  quantity: Numeric;
  seizures: number;
  cases: number;
}

export interface EnforcementAggregateTables {
  enforcement_agg_cases: EnforcementAggCasesTable;
  enforcement_agg_person_dims: EnforcementAggPersonDimsTable;
  enforcement_agg_seizures: EnforcementAggSeizuresTable;
}
