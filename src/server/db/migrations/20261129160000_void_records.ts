import { sql, type Kysely } from 'kysely';

/**
 * Voiding a record entered in error (an admission, an education session): the row stays (the audit trail refers to
 * it), marked with when and why; a voided record leaves every list, figure and rule.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['treatment_admissions', 'education_sessions']) {
    await db.schema
      .alterTable(table)
      .addColumn('voided_at', 'timestamptz')
      .addColumn('void_reason', 'text')
      .execute();
    await db.schema
      .alterTable(table)
      .addCheckConstraint(`${table}_void_chk`, sql`(voided_at is null) = (void_reason is null) and (void_reason is null or void_reason in ('entered_in_error','duplicate'))`)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['treatment_admissions', 'education_sessions']) {
    await db.schema.alterTable(table).dropConstraint(`${table}_void_chk`).execute();
    await db.schema.alterTable(table).dropColumn('voided_at').dropColumn('void_reason').execute();
  }
}
