import { sql, type Kysely } from 'kysely';

/**
 * Harm reduction (issue 4): outreach devices, hotspots, clients, contacts, referrals, duplicate decisions.
 * Client-level tables are keyed by (organisation_id, id): ids are generated on the devices, and an id only means
 * something inside its organisation (another organisation's id can never collide with, or reveal, a record).
 * Clients and hotspots carry `change_seq` from one sequence, assigned under a transaction lock, so that the sync
 * pull's cursor ("changed after N") never skips a row committed late.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence outreach_change_seq`.execute(db);

  await db.schema
    .createTable('devices')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('account_id', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_by', 'uuid', (c) => c.references('accounts.id'))
    .execute();
  await db.schema.createIndex('devices_org_idx').on('devices').columns(['organisation_id', 'account_id']).execute();
  await db.schema.createIndex('devices_account_idx').on('devices').column('account_id').execute();

  await db.schema
    .createTable('hotspots')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull().references('districts.code'))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('change_seq', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('hotspots_pk', ['organisation_id', 'id'])
    .addUniqueConstraint('hotspots_code_uq', ['organisation_id', 'code'])
    .execute();
  await db.schema.createIndex('hotspots_change_idx').on('hotspots').columns(['organisation_id', 'change_seq']).execute();

  await db.schema
    .createTable('outreach_clients')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('uic', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('birth_year', 'integer')
    .addColumn('first_contact_on', 'date', (c) => c.notNull())
    .addColumn('drugs', 'jsonb', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('last_contact_at', 'timestamptz')
    .addColumn('merged_into', 'uuid')
    .addColumn('change_seq', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('device_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('outreach_clients_pk', ['organisation_id', 'id'])
    .addCheckConstraint('outreach_clients_sex_chk', sql`sex in ('male','female','other')`)
    .addCheckConstraint('outreach_clients_status_chk', sql`status in ('active','lost_to_follow_up','moved','died')`)
    .execute();
  await db.schema.createIndex('outreach_clients_uic_idx').on('outreach_clients').columns(['organisation_id', 'uic']).execute();
  await db.schema.createIndex('outreach_clients_change_idx').on('outreach_clients').columns(['organisation_id', 'change_seq']).execute();

  await db.schema
    .createTable('outreach_contacts')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('client_id', 'uuid')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('setting', 'text', (c) => c.notNull())
    .addColumn('hotspot_id', 'uuid')
    .addColumn('needles', 'jsonb', (c) => c.notNull())
    .addColumn('syringes', 'jsonb', (c) => c.notNull())
    .addColumn('needles_total', 'integer', (c) => c.notNull())
    .addColumn('syringes_total', 'integer', (c) => c.notNull())
    .addColumn('returned', 'integer', (c) => c.notNull())
    .addColumn('condoms', 'integer', (c) => c.notNull())
    .addColumn('naloxone', 'integer', (c) => c.notNull())
    .addColumn('hiv_test', 'text', (c) => c.notNull())
    .addColumn('hcv_test', 'text', (c) => c.notNull())
    .addColumn('counselling', 'boolean', (c) => c.notNull())
    .addColumn('wound_care', 'boolean', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('device_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('outreach_contacts_pk', ['organisation_id', 'id'])
    .addForeignKeyConstraint('outreach_contacts_client_fk', ['organisation_id', 'client_id'], 'outreach_clients', ['organisation_id', 'id'])
    .addForeignKeyConstraint('outreach_contacts_hotspot_fk', ['organisation_id', 'hotspot_id'], 'hotspots', ['organisation_id', 'id'])
    .execute();
  await db.schema.createIndex('outreach_contacts_at_idx').on('outreach_contacts').columns(['organisation_id', 'at']).execute();
  await db.schema.createIndex('outreach_contacts_client_idx').on('outreach_contacts').columns(['organisation_id', 'client_id']).execute();
  await db.schema.createIndex('outreach_contacts_national_idx').on('outreach_contacts').column('at').execute();

  await db.schema
    .createTable('outreach_referrals')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('contact_id', 'uuid', (c) => c.notNull())
    .addColumn('client_id', 'uuid')
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('outcome_on', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('outreach_referrals_pk', ['organisation_id', 'id'])
    .addForeignKeyConstraint('outreach_referrals_contact_fk', ['organisation_id', 'contact_id'], 'outreach_contacts', ['organisation_id', 'id'])
    .execute();
  await db.schema.createIndex('outreach_referrals_contact_idx').on('outreach_referrals').columns(['organisation_id', 'contact_id']).execute();

  await db.schema
    .createTable('outreach_duplicate_decisions')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('client_a', 'uuid', (c) => c.notNull())
    .addColumn('client_b', 'uuid', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'uuid', (c) => c.notNull().references('accounts.id'))
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('outreach_duplicate_decisions_pk', ['organisation_id', 'client_a', 'client_b'])
    .addCheckConstraint('outreach_duplicate_decisions_chk', sql`decision in ('merge','keep_apart') and client_a < client_b`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['outreach_duplicate_decisions', 'outreach_referrals', 'outreach_contacts', 'outreach_clients', 'hotspots', 'devices']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await sql`drop sequence if exists outreach_change_seq`.execute(db);
}
