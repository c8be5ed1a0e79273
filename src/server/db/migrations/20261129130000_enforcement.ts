import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Organisations may sit under a parent (a provincial police headquarters above its units).
  await db.schema.alterTable('organisations').addColumn('parent_id', 'uuid', (c) => c.references('organisations.id')).execute();
  await db.schema.createIndex('organisations_parent_idx').on('organisations').column('parent_id').execute();

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('name_km', 'text', (c) => c.notNull())
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('end_date', 'date')
    .addColumn('pillars', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('campaigns_dates_chk', sql`end_date is null or end_date >= start_date`)
    .execute();

  await db.schema
    .createTable('enforcement_cases')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('unit_reference', 'text', (c) => c.notNull())
    .addColumn('occurred_on', 'date', (c) => c.notNull())
    .addColumn('reported_on', 'date', (c) => c.notNull())
    .addColumn('province_code', 'text', (c) => c.notNull().references('provinces.code'))
    .addColumn('district_code', 'text', (c) => c.references('districts.code'))
    .addColumn('commune_code', 'text', (c) => c.references('communes.code'))
    .addColumn('case_type', 'text', (c) => c.notNull())
    .addColumn('vehicles', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('motorcycles', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('phones', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cash_khr', 'numeric', (c) => c.notNull().defaultTo(0))
    .addColumn('cash_usd', 'numeric', (c) => c.notNull().defaultTo(0))
    .addColumn('weapons', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('persons_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('voided_at', 'timestamptz')
    .addColumn('void_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('enforcement_cases_unit_ref_uq', ['organisation_id', 'unit_reference'])
    .execute();
  await db.schema.createIndex('enforcement_cases_occurred_idx').on('enforcement_cases').columns(['occurred_on', 'province_code']).execute();
  await db.schema.createIndex('enforcement_cases_org_idx').on('enforcement_cases').columns(['organisation_id', 'occurred_on']).execute();

  await db.schema
    .createTable('case_persons')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('enforcement_cases.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('age_band', 'text', (c) => c.notNull())
    .addColumn('nationality', 'text', (c) => c.notNull())
    .addColumn('disposition', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_persons_case_idx').on('case_persons').column('case_id').execute();

  await db.schema
    .createTable('case_seizures')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('enforcement_cases.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('drug', 'text', (c) => c.notNull())
    .addColumn('quantity', 'numeric', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_seizures_case_idx').on('case_seizures').column('case_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['case_seizures', 'case_persons', 'enforcement_cases', 'campaigns']) await db.schema.dropTable(t).ifExists().execute();
  await db.schema.alterTable('organisations').dropColumn('parent_id').execute();
}
