/**
 * Kysely table types of the treatment pillar's maintained aggregates (migration 20261202110000_treatment_aggregates).
 * Written in the same transaction as the stay they come from (src/server/treatment/aggregates.ts): an admission adds
 * to the admission summaries, a discharge to the discharge summary, a void takes both away again. Every row is keyed
 * by the organisation (so that summaries distribute with the facts) and the centre (its kind and province are the
 * register's: a centre moved to another province or kind moves its figures with it, as the base tables did), and
 * holds each figure at three grains: per day ('day': `day` is the day), per calendar month ('month': the month's
 * first day) and per calendar year ('year': 1 January). A period is read as its whole years, whole months and the
 * days left over (`cover`), and "in care on day D" as admitted on or before D minus discharged on or before D
 * (prefix sums over the same cover from the first year), so no read scans more than a few years' worth of rows.
 */

export type TreatmentGrain = 'day' | 'month' | 'year';

interface Key {
  organisation_id: string;
  centre_id: string;
  grain: TreatmentGrain;
  /** The day, the month's first day or the year's 1 January. */
  day: string;
  legal_basis: string;
}

/** Admissions (not voided) by the day admitted, legal basis and referral source. */
export interface TreatmentAggAdmissionsTable extends Key {
  referral_source: string;
  n: number;
}

/** Admissions (not voided) by the day admitted and legal basis, and one client dimension at a time. */
export interface TreatmentAggAdmissionDimsTable extends Key {
  dimension: 'sex' | 'age_band' | 'primary_drug';
  value: string;
  n: number;
}

/** Discharges of stays not voided, by the day discharged, the stay's legal basis and the reason. */
export interface TreatmentAggDischargesTable extends Key {
  reason: string;
  n: number;
}

export interface TreatmentAggregateTables {
  treatment_agg_admissions: TreatmentAggAdmissionsTable;
  treatment_agg_admission_dims: TreatmentAggAdmissionDimsTable;
  treatment_agg_discharges: TreatmentAggDischargesTable;
}
