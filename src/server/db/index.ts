/**
 * One way to open the database: PGlite (embedded PostgreSQL, data in a local folder) by default,
 * a PostgreSQL server when DATABASE_URL is set. Same Kysely types and the same migrations on both.
 */
import { Kysely, Migrator, PostgresDialect, type Migration, type MigrationProvider } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { DB } from './schema.js';
import * as foundation from './migrations/20261129120000_foundation.js';
import * as enforcement from './migrations/20261129130000_enforcement.js';
import * as harmReduction from './migrations/20261129140000_harm_reduction.js';
import * as treatmentEducation from './migrations/20261129150000_treatment_education.js';
import * as voidRecords from './migrations/20261129160000_void_records.js';
import * as enforcementAggregates from './migrations/20261202100000_enforcement_aggregates.js';
import * as treatmentAggregates from './migrations/20261202110000_treatment_aggregates.js';
import * as educationAggregates from './migrations/20261202120000_education_aggregates.js';
import * as harmReductionAggregates from './migrations/20261202130000_harm_reduction_aggregates.js';
import * as disclosureSecret from './migrations/20261202140000_disclosure_secret.js';
import * as dropPersonCube from './migrations/20261202150000_drop_enforcement_person_cube.js';
import * as hrPeriodMargins from './migrations/20261203100000_hr_period_margins.js';
import * as hrPeriodVersions from './migrations/20261203180000_hr_period_versions.js';
import * as hrFirstDay from './migrations/20261203190000_hr_first_day.js';

export type Database = Kysely<DB>;

export interface OpenOptions {
  /** postgres://… ; when absent, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data folder; undefined means in memory (tests). */
  dataDir?: string;
}

export interface OpenDatabase {
  db: Database;
  engine: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export async function openDatabase(opts: OpenOptions): Promise<OpenDatabase> {
  if (opts.databaseUrl) {
    const pg = await import('pg');
    // int8 (count, bigserial) as JS numbers: our counts stay far below 2^53.
    pg.default.types.setTypeParser(20, (v: string) => Number(v));
    pg.default.types.setTypeParser(1700, (v: string) => Number(v));
    // date stays 'YYYY-MM-DD': a calendar date is not an instant.
    pg.default.types.setTypeParser(1082, (v: string) => v);
    const pool = new pg.default.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // An idle connection that the server closes (restart, admin command) must not crash the process: the pool drops
    // it and opens a new one on the next query.
    pool.on('error', (e) => console.error(`database connection lost: ${e.message}`));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  // Same parsing as the pg driver above: int8 and numeric as numbers, date as 'YYYY-MM-DD'.
  const parsers = { 20: (v: string) => Number(v), 1700: (v: string) => Number(v), 1082: (v: string) => v };
  const pglite = opts.dataDir ? new PGlite(opts.dataDir, { parsers }) : new PGlite({ parsers });
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    engine: 'pglite',
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

/** Migrations are timestamped modules listed here in order; Kysely records applied ones in kysely_migration. */
const MIGRATIONS: Record<string, Migration> = {
  '20261129120000_foundation': foundation,
  '20261129130000_enforcement': enforcement,
  '20261129140000_harm_reduction': harmReduction,
  '20261129150000_treatment_education': treatmentEducation,
  '20261129160000_void_records': voidRecords,
  '20261202100000_enforcement_aggregates': enforcementAggregates,
  '20261202110000_treatment_aggregates': treatmentAggregates,
  '20261202120000_education_aggregates': educationAggregates,
  '20261202130000_harm_reduction_aggregates': harmReductionAggregates,
  '20261202140000_disclosure_secret': disclosureSecret,
  '20261202150000_drop_enforcement_person_cube': dropPersonCube,
  '20261203100000_hr_period_margins': hrPeriodMargins,
  '20261203180000_hr_period_versions': hrPeriodVersions,
  '20261203190000_hr_first_day': hrFirstDay,
};

class StaticProvider implements MigrationProvider {
  async getMigrations() {
    return MIGRATIONS;
  }
}

export async function migrate(db: Database): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
