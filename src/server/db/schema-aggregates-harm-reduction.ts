/**
 * Kysely table types of the harm-reduction pillar's maintained aggregates (migration
 * 20261202130000_harm_reduction_aggregates), written only by src/server/outreach/aggregates.ts (its header describes
 * the design). Days are Cambodian dates 'YYYY-MM-DD'; `hotspot_id` is the nil uuid when a contact had no hotspot.
 */
export interface HrContactMeasures {
  /** contacts with a client */
  contacts: number;
  anonymous_contacts: number;
  needles: number;
  syringes: number;
  returned: number;
  hiv_tests: number;
  hiv_positive: number;
  referrals_made: number;
  referrals_completed: number;
}

export interface HrContactsDailyTable extends HrContactMeasures {
  organisation_id: string;
  day: string;
  setting: string;
  /** the client's sex, 'anonymous' without a client */
  sex: string;
  /** '<25' | '25+' | 'unknown' at the contact's year, 'anonymous' without a client */
  age_band: string;
}

export interface HrContactsDailyHotspotTable extends HrContactMeasures {
  organisation_id: string;
  day: string;
  setting: string;
  hotspot_id: string;
}

export interface HrContactsDailyOrgTable extends HrContactMeasures {
  organisation_id: string;
  day: string;
}

export interface HrClientDaysTable {
  organisation_id: string;
  day: string;
  client_id: string;
  setting: string;
  hotspot_id: string;
}

export interface HrClientSpanTable {
  organisation_id: string;
  client_id: string;
  first_on: string;
  last_on: string;
}

export interface HrPeriodClientsTable {
  organisation_id: string;
  client_id: string;
  /** storage key: 'day:…', 'iso_week:…', 'month:…', 'quarter:…', 'year:…', 'week7:<first day>', 'campaign_to_date:<id>' */
  period: string;
  p_from: string;
  p_to: string;
  sex: string;
  /** at the period's first day */
  age_band: string;
  /** the client's first contact falls in the period */
  is_new: boolean;
  /** campaign to date rows only (else null): the client's first day of contact in the campaign */
  first_day: string | null;
  /** quarter and year: a contact in every month of the period */
  regular: boolean;
}

export interface HrPeriodCountsTable {
  organisation_id: string;
  period: string;
  sex: string;
  age_band: string;
  reached: number;
  new_clients: number;
  regular: number;
}

/**
 * `hr_period_counts` summed over organisations one dimension at a time, kept by triggers (migration
 * 20261203100000_hr_period_margins): `dim` '' is the period's total (`value` ''), else 'province', 'provider', 'sex'
 * or 'age' with its value.
 */
export interface HrPeriodMarginsTable {
  period: string;
  dim: string;
  value: string;
  reached: number;
  new_clients: number;
  regular: number;
}

/**
 * The version of each stored period's figures (migration 20261203180000_hr_period_versions): a new random UUID
 * whenever its counters, margins or counted organisations change.
 */
export interface HrPeriodVersionsTable {
  period: string;
  version: string;
}

export interface HrWeekAlignmentsTable {
  alignment: number;
  from_date: string;
}

export interface HrCampaignSpansTable {
  campaign_id: string;
  start_date: string;
  end_date: string | null;
}

export interface HarmReductionAggregateTables {
  hr_contacts_daily: HrContactsDailyTable;
  hr_contacts_daily_hotspot: HrContactsDailyHotspotTable;
  hr_contacts_daily_org: HrContactsDailyOrgTable;
  hr_client_days: HrClientDaysTable;
  hr_client_span: HrClientSpanTable;
  hr_period_clients: HrPeriodClientsTable;
  hr_period_counts: HrPeriodCountsTable;
  hr_period_margins: HrPeriodMarginsTable;
  hr_period_versions: HrPeriodVersionsTable;
  hr_week_alignments: HrWeekAlignmentsTable;
  hr_campaign_spans: HrCampaignSpansTable;
}
