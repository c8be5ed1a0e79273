/** The treatment pillar's maintained aggregates (issue 9); table types in ../schema-aggregates-treatment.ts. */
import { sql, type Kysely } from 'kysely';
import { fillTreatmentAggregates } from '../../treatment/aggregates.js';

const TABLES = [
  ['treatment_agg_admissions', 'referral_source'],
  ['treatment_agg_admission_dims', 'dimension', 'value'],
  ['treatment_agg_discharges', 'reason'],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, ...extra] of TABLES) {
    let t = db.schema
      .createTable(name)
      .addColumn('organisation_id', 'uuid', (c) => c.notNull())
      .addColumn('centre_id', 'uuid', (c) => c.notNull())
      .addColumn('grain', 'text', (c) => c.notNull().check(sql`grain in ('day', 'month', 'year')`))
      .addColumn('day', 'date', (c) => c.notNull())
      .addColumn('legal_basis', 'text', (c) => c.notNull());
    for (const col of extra) t = t.addColumn(col, 'text', (c) => c.notNull());
    await t
      .addColumn('n', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${name}_pk`, ['organisation_id', 'centre_id', 'grain', 'day', 'legal_basis', ...extra] as never[])
      .execute();
    // the national view reads by grain and day over every centre
    await db.schema.createIndex(`${name}_grain_day`).on(name).columns(['grain', 'day']).execute();
  }
  // an existing deployment: the summaries of the stays already recorded
  await fillTreatmentAggregates(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of [...TABLES].reverse()) await db.schema.dropTable(name).ifExists().execute();
}
