/**
 * The deployment's secret for the disclosure control's rounding keys (src/server/disclosure/secret.ts): one row,
 * made at first start. Whoever knows it can tell which way each published count was rounded, so it never leaves the
 * database (no route reads it) and a copy of the figures without it reveals nothing more than the figures.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('disclosure_secret')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('disclosure_secret').execute();
}
