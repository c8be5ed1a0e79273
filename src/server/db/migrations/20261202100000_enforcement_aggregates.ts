/** The enforcement pillar's maintained aggregates (issue 9); table types in ../schema-aggregates-enforcement.ts. */
import { sql, type Kysely } from 'kysely';
import { fillEnforcementAggregates } from '../../enforcement/aggregates.js';

const KEY = ['grain', 'occurred_on', 'province_code', 'district_code', 'case_type', 'organisation_id'] as const;
const ROLE_SEX = ['suspected_trafficker', 'alleged_user', 'other'].flatMap((r) => ['male', 'female', 'unknown'].map((s) => `${r}_${s}`));

export async function up(db: Kysely<any>): Promise<void> {
  const keyed = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('grain', 'text', (c) => c.notNull().check(sql`grain in ('day', 'month', 'year')`))
      .addColumn('occurred_on', 'date', (c) => c.notNull())
      .addColumn('province_code', 'text', (c) => c.notNull())
      .addColumn('district_code', 'text', (c) => c.notNull())
      .addColumn('case_type', 'text', (c) => c.notNull())
      .addColumn('organisation_id', 'uuid', (c) => c.notNull());

  let cases = keyed('enforcement_agg_cases')
    .addColumn('cases', 'integer', (c) => c.notNull())
    .addColumn('vehicles', 'bigint', (c) => c.notNull())
    .addColumn('motorcycles', 'bigint', (c) => c.notNull())
    .addColumn('phones', 'bigint', (c) => c.notNull())
    .addColumn('cash_khr', 'numeric', (c) => c.notNull())
    .addColumn('cash_usd', 'numeric', (c) => c.notNull())
    .addColumn('weapons', 'bigint', (c) => c.notNull());
  for (const col of ROLE_SEX) cases = cases.addColumn(col, 'integer', (c) => c.notNull());
  await cases.addPrimaryKeyConstraint('enforcement_agg_cases_pk', [...KEY]).execute();

  await db.schema
    .createTable('enforcement_agg_persons')
    .addColumn('occurred_on', 'date', (c) => c.notNull())
    .addColumn('province_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('case_type', 'text', (c) => c.notNull())
    .addColumn('organisation_id', 'uuid', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('age_band', 'text', (c) => c.notNull())
    .addColumn('nationality', 'text', (c) => c.notNull())
    .addColumn('disposition', 'text', (c) => c.notNull())
    .addColumn('persons', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('enforcement_agg_persons_pk', [
      'occurred_on',
      'province_code',
      'district_code',
      'case_type',
      'organisation_id',
      'role',
      'sex',
      'age_band',
      'nationality',
      'disposition',
    ])
    .execute();

  await keyed('enforcement_agg_person_dims')
    .addColumn('dimension', 'text', (c) => c.notNull().check(sql`dimension in ('age_band', 'nationality', 'disposition')`))
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('persons', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('enforcement_agg_person_dims_pk', [...KEY, 'dimension', 'value'])
    .execute();

  await keyed('enforcement_agg_seizures')
    .addColumn('drug', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('quantity', 'numeric', (c) => c.notNull())
    .addColumn('seizures', 'integer', (c) => c.notNull())
    .addColumn('cases', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('enforcement_agg_seizures_pk', [...KEY, 'drug', 'unit'])
    .execute();

  // A deployment that already has cases gets its summaries now (the same INSERT … SELECT as rebuild-aggregates).
  await fillEnforcementAggregates(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['enforcement_agg_seizures', 'enforcement_agg_person_dims', 'enforcement_agg_persons', 'enforcement_agg_cases']) await db.schema.dropTable(t).ifExists().execute();
}
