/**
 * The enforcement persons cube (every person dimension together, per day) was kept by every case write but read by
 * no view: the report's persons come from the one-dimension summaries. Dropped to bring the cost of a case write
 * back towards what it was before the analytics layer (issue 9, point 6). A view that needs crosstabs of person
 * dimensions adds the summary it needs, with its reader.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('enforcement_agg_persons').ifExists().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // the table comes back empty; 20261202100000_enforcement_aggregates describes it
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
    .execute();
}
