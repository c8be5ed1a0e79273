/**
 * A version for each of harm reduction's stored periods (issue 9, point 6): a value that changes in the statement
 * that changes anything the period's figures are read from — its counters (`hr_period_counts`), hence its margins,
 * or the province or kind of an organisation counted in it. A version is a random UUID, so that it is never given
 * twice: not after a rebuild (which draws new ones for every period), not in another database, not after a backup
 * is restored (a sequence would count again from where the backup left it).
 *
 * What it is for: a server keeps what it has read and decided for a period (src/server/outreach/aggregates.ts,
 * src/server/disclosure/release.ts) only as long as the period's version is the one it read before — a long
 * campaign's closed weeks are not summed and decided again on every request, and a record saved is still in the
 * next answer, on every server process, because the version changes with it.
 *
 * Kept by the same triggers as the margins (migration 20261203100000_hr_period_margins): `hr_period_margins_add`
 * and `hr_period_margins_moved` are replaced by the same statements plus the versions.
 */
import { sql, type Kysely } from 'kysely';

const ADD_MARGINS = `
      insert into hr_period_margins as m (period, dim, value, reached, new_clients, regular)
      select * from hr_period_margins_of(d) order by 1, 2, 3
      on conflict (period, dim, value) do update
        set reached = m.reached + excluded.reached, new_clients = m.new_clients + excluded.new_clients, regular = m.regular + excluded.regular;
      delete from hr_period_margins m
       where m.period = any(array(select distinct c.period from unnest(d) as c)) and m.reached = 0 and m.new_clients = 0 and m.regular = 0;`;

const MOVE_MARGINS = `
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
         and m.reached = 0 and m.new_clients = 0 and m.regular = 0;`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('hr_period_versions')
    .addColumn('period', 'text', (c) => c.primaryKey())
    .addColumn('version', 'uuid', (c) => c.notNull())
    .execute();
  await sql`create or replace function hr_period_margins_add(d hr_period_counts[]) returns void language sql as $$
      ${sql.raw(ADD_MARGINS)}
      insert into hr_period_versions as v (period, version)
      select p.period, gen_random_uuid() from (select distinct c.period from unnest(d) as c order by 1) p
      on conflict (period) do update set version = excluded.version;
    $$`.execute(db);
  await sql`create or replace function hr_period_margins_moved() returns trigger language plpgsql as $$
    begin
      ${sql.raw(MOVE_MARGINS)}
      insert into hr_period_versions as v (period, version)
      select p.period, gen_random_uuid() from (select distinct c.period from hr_period_counts c where c.organisation_id = new.id order by 1) p
      on conflict (period) do update set version = excluded.version;
      return null;
    end $$`.execute(db);
  // the periods already counted
  await sql`insert into hr_period_versions (period, version)
    select p.period, gen_random_uuid() from (select distinct period from hr_period_margins order by 1) p`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`create or replace function hr_period_margins_add(d hr_period_counts[]) returns void language sql as $$ ${sql.raw(ADD_MARGINS)} $$`.execute(db);
  await sql`create or replace function hr_period_margins_moved() returns trigger language plpgsql as $$
    begin
      ${sql.raw(MOVE_MARGINS)}
      return null;
    end $$`.execute(db);
  await db.schema.dropTable('hr_period_versions').ifExists().execute();
}
