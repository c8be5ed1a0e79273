/**
 * The harm-reduction pillar's maintained aggregates (issue 9). Kept by src/server/outreach/aggregates.ts in the
 * transaction of every sync push, referral outcome, merge of duplicates and campaign saved; filled here from the
 * records already stored (by the same module's rebuild). The design is described at the top of that module.
 */
import { sql, type Kysely } from 'kysely';

const MEASURES = ['contacts', 'anonymous_contacts', 'needles', 'syringes', 'returned', 'hiv_tests', 'hiv_positive', 'referrals_made', 'referrals_completed'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const daily = (name: string, key: string[], build: (t: any) => any) => {
    let t = db.schema.createTable(name).addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id')).addColumn('day', 'date', (c) => c.notNull());
    t = build(t);
    for (const m of MEASURES) t = t.addColumn(m, 'integer', (c: any) => c.notNull().defaultTo(0));
    return t.addPrimaryKeyConstraint(`${name}_pk`, ['organisation_id', 'day', ...key] as never[]).execute();
  };
  // contacts by day (Cambodia), setting, client's sex and age band at the contact's year ('anonymous' without a client)
  await daily('hr_contacts_daily', ['setting', 'sex', 'age_band'], (t) =>
    t.addColumn('setting', 'text', (c: any) => c.notNull()).addColumn('sex', 'text', (c: any) => c.notNull()).addColumn('age_band', 'text', (c: any) => c.notNull()),
  );
  // the same by hotspot (the organisation's own view only; the nil uuid when the contact had no hotspot)
  await daily('hr_contacts_daily_hotspot', ['setting', 'hotspot_id'], (t) => t.addColumn('setting', 'text', (c: any) => c.notNull()).addColumn('hotspot_id', 'uuid', (c: any) => c.notNull()));
  // the same by organisation and day only (the national rows: province and provider kind come from the organisation)
  await daily('hr_contacts_daily_org', [], (t) => t);
  await db.schema.createIndex('hr_contacts_daily_org_day_idx').on('hr_contacts_daily_org').columns(['day', 'organisation_id']).execute();

  // one row per client, day and place (setting, hotspot) with a contact: the organisation's exact distinct counts
  await db.schema
    .createTable('hr_client_days')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('client_id', 'uuid', (c) => c.notNull())
    .addColumn('setting', 'text', (c) => c.notNull())
    .addColumn('hotspot_id', 'uuid', (c) => c.notNull())
    .addPrimaryKeyConstraint('hr_client_days_pk', ['organisation_id', 'day', 'client_id', 'setting', 'hotspot_id'])
    .execute();
  await db.schema.createIndex('hr_client_days_client_idx').on('hr_client_days').columns(['organisation_id', 'client_id']).execute();

  // per client: the days of its first and last contact
  await db.schema
    .createTable('hr_client_span')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('client_id', 'uuid', (c) => c.notNull())
    .addColumn('first_on', 'date', (c) => c.notNull())
    .addColumn('last_on', 'date', (c) => c.notNull())
    .addPrimaryKeyConstraint('hr_client_span_pk', ['organisation_id', 'client_id'])
    .execute();

  // one row per client and reporting period in which it was reached (the distinct-person rows)
  await db.schema
    .createTable('hr_period_clients')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('client_id', 'uuid', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('p_from', 'date', (c) => c.notNull())
    .addColumn('p_to', 'date', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('age_band', 'text', (c) => c.notNull())
    .addColumn('is_new', 'boolean', (c) => c.notNull())
    .addColumn('regular', 'boolean', (c) => c.notNull())
    .addPrimaryKeyConstraint('hr_period_clients_pk', ['organisation_id', 'client_id', 'period'])
    .execute();

  // the per-period counters: clients reached, new, with regular access (quarter and year)
  await db.schema
    .createTable('hr_period_counts')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('age_band', 'text', (c) => c.notNull())
    .addColumn('reached', 'integer', (c) => c.notNull())
    .addColumn('new_clients', 'integer', (c) => c.notNull())
    .addColumn('regular', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('hr_period_counts_pk', ['organisation_id', 'period', 'sex', 'age_band'])
    .execute();
  await db.schema.createIndex('hr_period_counts_period_idx').on('hr_period_counts').columns(['period', 'organisation_id']).execute();

  // which 7-day alignments other than ISO's Monday are kept, and from which day (the earliest campaign start)
  await db.schema
    .createTable('hr_week_alignments')
    .addColumn('alignment', 'integer', (c) => c.primaryKey())
    .addColumn('from_date', 'date', (c) => c.notNull())
    .execute();
  // the span each campaign's "to date" rows were filled for
  await db.schema
    .createTable('hr_campaign_spans')
    .addColumn('campaign_id', 'uuid', (c) => c.primaryKey().references('campaigns.id'))
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('end_date', 'date')
    .execute();

  // fill from the records already stored
  const { rebuildHarmReduction } = await import('../../outreach/aggregates.js');
  await rebuildHarmReduction(db as never);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['hr_campaign_spans', 'hr_week_alignments', 'hr_period_counts', 'hr_period_clients', 'hr_client_span', 'hr_client_days', 'hr_contacts_daily_org', 'hr_contacts_daily_hotspot', 'hr_contacts_daily']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  void sql;
}
