import { sql, type Kysely } from 'kysely';

/**
 * Treatment and education (issue 5): the centre register, admissions (one row per stay, the discharge on the same
 * row), education sessions with their participants by sex and age band. Admissions are client-level: every query is
 * scoped to `organisation_id` (the organisation that runs the centre and recorded the stay).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('treatment_centres')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_km', 'text')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('modality', 'text', (c) => c.notNull())
    .addColumn('admission_policy', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('province_code', 'text', (c) => c.notNull().references('provinces.code'))
    .addColumn('district_code', 'text', (c) => c.references('districts.code'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('treatment_centres_kind_chk', sql`kind in ('state','private','ngo','community','prison_health')`)
    .addCheckConstraint('treatment_centres_modality_chk', sql`modality in ('residential','outpatient','community')`)
    .addCheckConstraint('treatment_centres_policy_chk', sql`admission_policy in ('voluntary','compulsory','mixed')`)
    .addCheckConstraint('treatment_centres_status_chk', sql`status in ('open','planned','closed')`)
    .addCheckConstraint('treatment_centres_capacity_chk', sql`capacity >= 0`)
    .execute();
  await db.schema.createIndex('treatment_centres_org_idx').on('treatment_centres').column('organisation_id').execute();
  await db.schema.createIndex('treatment_centres_name_uq').on('treatment_centres').column('name').unique().execute();

  await db.schema
    .createTable('treatment_admissions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('centre_id', 'uuid', (c) => c.notNull().references('treatment_centres.id'))
    .addColumn('uic', 'text', (c) => c.notNull())
    .addColumn('admitted_on', 'date', (c) => c.notNull())
    .addColumn('referral_source', 'text', (c) => c.notNull())
    .addColumn('legal_basis', 'text', (c) => c.notNull())
    .addColumn('consent_recorded', 'boolean', (c) => c.notNull())
    .addColumn('primary_drug', 'text', (c) => c.notNull())
    .addColumn('secondary_drugs', 'jsonb', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('injecting', 'text', (c) => c.notNull())
    .addColumn('previous_treatment', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('age_band', 'text', (c) => c.notNull())
    .addColumn('discharged_on', 'date')
    .addColumn('discharge_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('treatment_admissions_dates_chk', sql`discharged_on is null or discharged_on >= admitted_on`)
    .addCheckConstraint('treatment_admissions_discharge_chk', sql`(discharged_on is null) = (discharge_reason is null)`)
    .addCheckConstraint('treatment_admissions_consent_chk', sql`legal_basis <> 'voluntary' or consent_recorded`)
    .addCheckConstraint(
      'treatment_admissions_codes_chk',
      sql`legal_basis in ('voluntary','compulsory_administrative','court_ordered') and referral_source in ('self','family','outreach_ngo','health_facility','police','court','other')`,
    )
    .execute();
  await db.schema.createIndex('treatment_admissions_stay_idx').on('treatment_admissions').columns(['centre_id', 'uic']).execute();
  await db.schema.createIndex('treatment_admissions_org_idx').on('treatment_admissions').columns(['organisation_id', 'centre_id', 'admitted_on']).execute();
  await db.schema.createIndex('treatment_admissions_admitted_idx').on('treatment_admissions').column('admitted_on').execute();
  await db.schema.createIndex('treatment_admissions_discharged_idx').on('treatment_admissions').column('discharged_on').execute();

  await db.schema
    .createTable('education_sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('held_on', 'date', (c) => c.notNull())
    .addColumn('province_code', 'text', (c) => c.notNull().references('provinces.code'))
    .addColumn('district_code', 'text', (c) => c.references('districts.code'))
    .addColumn('setting', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('education_sessions_setting_chk', sql`setting in ('school','community','workplace','prison','online')`)
    .addCheckConstraint('education_sessions_total_chk', sql`total > 0`)
    .execute();
  await db.schema.createIndex('education_sessions_held_idx').on('education_sessions').column('held_on').execute();
  await db.schema.createIndex('education_sessions_org_idx').on('education_sessions').columns(['organisation_id', 'held_on']).execute();

  await db.schema
    .createTable('education_participants')
    .addColumn('session_id', 'uuid', (c) => c.notNull().references('education_sessions.id'))
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('age_band', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('education_participants_pk', ['session_id', 'sex', 'age_band'])
    .addCheckConstraint('education_participants_count_chk', sql`count > 0`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['education_participants', 'education_sessions', 'treatment_admissions', 'treatment_centres']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
