/**
 * Harm reduction's counters summed over organisations, one dimension at a time (issue 9, point 6): for each stored
 * period, its total and its one-way margins by province, provider kind, sex and age band — about 34 rows a period,
 * where `hr_period_counts` holds one row per organisation, sex and age band (a campaign running five years has
 * 80,000 of them for its weeks alone). The disclosure control reads a long campaign's weekly lines from here.
 *
 * Kept by the database itself, in the statement that changes the counters: statement-level triggers on
 * `hr_period_counts` (insert, update, delete, with their transition tables) add what changed, and a trigger on
 * `organisations` moves an organisation's counters when its province or kind changes (the counters take those from
 * the organisation, so the margins must follow it). Every writer of the counters already holds the pillar's
 * advisory lock (src/server/outreach/aggregates.ts), so the shared national rows are never contended. Rows that
 * come back to zero are deleted, as in the counters.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('hr_period_margins')
    .addColumn('period', 'text', (c) => c.notNull())
    // '' (the period's total), 'province', 'provider', 'sex', 'age'
    .addColumn('dim', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('reached', 'integer', (c) => c.notNull())
    .addColumn('new_clients', 'integer', (c) => c.notNull())
    .addColumn('regular', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('hr_period_margins_pk', ['period', 'dim', 'value'])
    .execute();

  // the margins of some counter rows (signed: a deleted row counts negative), the one statement that sums them —
  // the triggers add it, verify-aggregates compares the table with it over every counter
  await sql`create function hr_period_margins_of(d hr_period_counts[])
    returns table (period text, dim text, value text, reached integer, new_clients integer, regular integer)
    language sql stable as $$
      select c.period,
             case grouping(x.province_code, x.kind, c.sex, c.age_band) when 7 then 'province' when 11 then 'provider' when 13 then 'sex' when 14 then 'age' else '' end,
             coalesce(x.province_code, x.kind, c.sex, c.age_band, ''),
             sum(c.reached)::integer, sum(c.new_clients)::integer, sum(c.regular)::integer
        from unnest(d) as c join organisations x on x.id = c.organisation_id
       group by grouping sets ((c.period), (c.period, x.province_code), (c.period, x.kind), (c.period, c.sex), (c.period, c.age_band))
    $$`.execute(db);
  // add them to the table; rows that come back to zero go
  await sql`create function hr_period_margins_add(d hr_period_counts[]) returns void language sql as $$
      insert into hr_period_margins as m (period, dim, value, reached, new_clients, regular)
      select * from hr_period_margins_of(d) order by 1, 2, 3
      on conflict (period, dim, value) do update
        set reached = m.reached + excluded.reached, new_clients = m.new_clients + excluded.new_clients, regular = m.regular + excluded.regular;
      delete from hr_period_margins m
       where m.period = any(array(select distinct c.period from unnest(d) as c)) and m.reached = 0 and m.new_clients = 0 and m.regular = 0;
    $$`.execute(db);

  // a counter row taken away: its negative
  await sql`create function hr_period_counts_negative(c hr_period_counts) returns hr_period_counts language sql immutable as $$
      select row(c.organisation_id, c.period, c.sex, c.age_band, -c.reached, -c.new_clients, -c.regular)::hr_period_counts
    $$`.execute(db);
  await sql`create function hr_period_margins_counted() returns trigger language plpgsql as $$
    begin
      -- a transition table's rows are records: row(…)::hr_period_counts makes them counter rows
      if tg_op = 'INSERT' then
        perform hr_period_margins_add(array_agg(row(n.*)::hr_period_counts)) from new_rows n having count(*) > 0;
      elsif tg_op = 'DELETE' then
        perform hr_period_margins_add(array_agg(hr_period_counts_negative(row(o.*)::hr_period_counts))) from old_rows o having count(*) > 0;
      else
        perform hr_period_margins_add(array_agg(r))
           from (select row(n.*)::hr_period_counts as r from new_rows n union all select hr_period_counts_negative(row(o.*)::hr_period_counts) from old_rows o) u
         having count(*) > 0;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger hr_period_margins_insert after insert on hr_period_counts
    referencing new table as new_rows for each statement execute function hr_period_margins_counted()`.execute(db);
  await sql`create trigger hr_period_margins_update after update on hr_period_counts
    referencing old table as old_rows new table as new_rows for each statement execute function hr_period_margins_counted()`.execute(db);
  await sql`create trigger hr_period_margins_delete after delete on hr_period_counts
    referencing old table as old_rows for each statement execute function hr_period_margins_counted()`.execute(db);

  // an organisation moved to another province, or of another kind: its counters leave the old margin and join the new
  await sql`create function hr_period_margins_moved() returns trigger language plpgsql as $$
    begin
      insert into hr_period_margins as m (period, dim, value, reached, new_clients, regular)
      select c.period, t.dim, t.value, sum(c.reached) * t.sign, sum(c.new_clients) * t.sign, sum(c.regular) * t.sign
        from hr_period_counts c
       cross join (values ('province', old.province_code, -1), ('province', new.province_code, 1), ('provider', old.kind, -1), ('provider', new.kind, 1)) as t(dim, value, sign)
       where c.organisation_id = new.id
         and (t.dim = 'province' and old.province_code is distinct from new.province_code or t.dim = 'provider' and old.kind is distinct from new.kind)
       group by c.period, t.dim, t.value, t.sign
       order by 1, 2, 3
      on conflict (period, dim, value) do update
        set reached = m.reached + excluded.reached, new_clients = m.new_clients + excluded.new_clients, regular = m.regular + excluded.regular;
      delete from hr_period_margins m
       where m.period in (select c.period from hr_period_counts c where c.organisation_id = new.id) and m.dim in ('province', 'provider')
         and m.reached = 0 and m.new_clients = 0 and m.regular = 0;
      return null;
    end $$`.execute(db);
  await sql`create trigger hr_period_margins_organisation after update of province_code, kind on organisations
    for each row when (old.province_code is distinct from new.province_code or old.kind is distinct from new.kind)
    execute function hr_period_margins_moved()`.execute(db);

  // the margins of the counters already kept
  await sql`select hr_period_margins_add(array_agg(c)) from hr_period_counts c having count(*) > 0`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists hr_period_margins_organisation on organisations`.execute(db);
  await sql`drop trigger if exists hr_period_margins_insert on hr_period_counts`.execute(db);
  await sql`drop trigger if exists hr_period_margins_update on hr_period_counts`.execute(db);
  await sql`drop trigger if exists hr_period_margins_delete on hr_period_counts`.execute(db);
  await sql`drop function if exists hr_period_margins_moved()`.execute(db);
  await sql`drop function if exists hr_period_margins_counted()`.execute(db);
  await sql`drop function if exists hr_period_counts_negative(hr_period_counts)`.execute(db);
  await sql`drop function if exists hr_period_margins_add(hr_period_counts[])`.execute(db);
  await sql`drop function if exists hr_period_margins_of(hr_period_counts[])`.execute(db);
  await db.schema.dropTable('hr_period_margins').ifExists().execute();
}
