/**
 * The education pillar's maintained aggregates (issue 9): sessions and people reached per organisation and day held,
 * with every dimension the views use. Kept by src/server/education/aggregates.ts in the transaction of each session
 * recorded or voided; filled here from the sessions already recorded (voided ones excluded).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('education_sessions_daily')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('held_on', 'date', (c) => c.notNull())
    .addColumn('province_code', 'text', (c) => c.notNull())
    .addColumn('district_code', 'text', (c) => c.notNull())
    .addColumn('setting', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('sessions', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('education_sessions_daily_pk', ['organisation_id', 'held_on', 'province_code', 'district_code', 'setting', 'topic'])
    .execute();
  await db.schema.createIndex('education_sessions_daily_day_idx').on('education_sessions_daily').column('held_on').execute();

  await db.schema
    .createTable('education_people_daily')
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('held_on', 'date', (c) => c.notNull())
    .addColumn('province_code', 'text', (c) => c.notNull())
    .addColumn('setting', 'text', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('age_band', 'text', (c) => c.notNull())
    .addColumn('participants', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('education_people_daily_pk', ['organisation_id', 'held_on', 'province_code', 'setting', 'sex', 'age_band'])
    .execute();
  await db.schema.createIndex('education_people_daily_day_idx').on('education_people_daily').column('held_on').execute();

  await sql`
    insert into education_sessions_daily (organisation_id, held_on, province_code, district_code, setting, topic, sessions)
    select organisation_id, held_on, province_code, coalesce(district_code, ''), setting, topic, count(*)
    from education_sessions where voided_at is null
    group by 1, 2, 3, 4, 5, 6`.execute(db);
  await sql`
    insert into education_people_daily (organisation_id, held_on, province_code, setting, sex, age_band, participants)
    select s.organisation_id, s.held_on, s.province_code, s.setting, p.sex, p.age_band, sum(p.count)
    from education_sessions s join education_participants p on p.session_id = s.id
    where s.voided_at is null
    group by 1, 2, 3, 4, 5, 6`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('education_people_daily').ifExists().execute();
  await db.schema.dropTable('education_sessions_daily').ifExists().execute();
}
