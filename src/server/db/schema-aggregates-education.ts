/** Kysely table types of the education pillar's maintained aggregates (migration 20261202120000_education_aggregates). */

/**
 * Sessions held (voided ones excluded), by organisation, day held, province, district ('' when the session names
 * none), setting and topic. Written with the session, in its transaction (src/server/education/aggregates.ts).
 */
export interface EducationSessionsDailyTable {
  organisation_id: string;
  held_on: string;
  province_code: string;
  /** '' = no district named */
  district_code: string;
  setting: string;
  topic: string;
  sessions: number;
}

/** People reached (participant counts of sessions not voided), by organisation, day, province, setting, sex and age band. */
export interface EducationPeopleDailyTable {
  organisation_id: string;
  held_on: string;
  province_code: string;
  setting: string;
  sex: string;
  age_band: string;
  participants: number;
}

export interface EducationAggregateTables {
  education_sessions_daily: EducationSessionsDailyTable;
  education_people_daily: EducationPeopleDailyTable;
}
