/**
 * Campaign to date, read without the days after it (issue 9, point 6): a campaign's kept "to date" rows count every
 * client reached from its start on, through the week still running, and a release of campaign to date (through the
 * last complete week) takes away the clients first reached after it. That used to mean reading every client-day
 * after the period — every client seen in the running week, tens of thousands at national scale — and looking up
 * each one's earlier days. With each row's first day of contact in the campaign (`first_day`, kept on
 * `campaign_to_date:` rows only), the clients to take away are the rows whose first day is after the period: an
 * index range, as long as the clients new to the campaign this week.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('hr_period_clients').addColumn('first_day', 'date').execute();
  // the index before the rows it covers: made after updating them in the same transaction, it could not be used
  // until every transaction older than this one had ended (PostgreSQL's indcheckxmin)
  await sql`create index hr_period_clients_first_day on hr_period_clients (period, first_day) where first_day is not null`.execute(db);
  await sql`update hr_period_clients q set first_day = f.first_day
      from (select t.organisation_id, t.client_id, t.period, min(d.day) as first_day
              from hr_period_clients t
              join hr_client_days d on d.organisation_id = t.organisation_id and d.client_id = t.client_id and d.day between t.p_from and t.p_to
             where t.period like 'campaign_to_date:%'
             group by 1, 2, 3) f
     where q.organisation_id = f.organisation_id and q.client_id = f.client_id and q.period = f.period`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists hr_period_clients_first_day`.execute(db);
  await db.schema.alterTable('hr_period_clients').dropColumn('first_day').execute();
}
