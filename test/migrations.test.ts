import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/server/db/index.js';
import { bootstrap } from '../src/server/bootstrap.js';
import { freshDatabase, type TestDb } from './helpers.js';

let t: TestDb;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(() => t.close());

describe('migrations and first start', () => {
  it('apply once, are recorded, and running them again does nothing', async () => {
    const first = await migrate(t.db);
    expect(first).toEqual(['20261129120000_foundation', '20261129130000_enforcement', '20261129140000_harm_reduction', '20261129150000_treatment_education', '20261129160000_void_records',
      '20261202100000_enforcement_aggregates',
      '20261202110000_treatment_aggregates',
      '20261202120000_education_aggregates',
      '20261202130000_harm_reduction_aggregates',
      '20261202140000_disclosure_secret',
      '20261202150000_drop_enforcement_person_cube',
      '20261203100000_hr_period_margins',
      '20261203180000_hr_period_versions',
      '20261203190000_hr_first_day',
    ]);
    const recorded = await t.db.selectFrom('kysely_migration' as never).select('name' as never).execute();
    expect(recorded).toHaveLength(14);
    expect(await migrate(t.db)).toEqual([]);
  });

  it('the first bootstrap creates the provinces and one administrator with a one-time password; the second creates nothing', async () => {
    const first = await bootstrap(t.db);
    expect(first.admin?.username).toBe('admin');
    expect(first.admin?.oneTimePassword).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    const admin = await t.db.selectFrom('accounts').selectAll().where('username', '=', 'admin').executeTakeFirstOrThrow();
    expect(admin.must_change_password).toBe(true);
    expect(admin.role).toBe('administrator');
    expect(admin.password_hash).toMatch(/^\$argon2id\$/);
    expect(admin.password_hash).not.toContain(first.admin!.oneTimePassword);

    const second = await bootstrap(t.db);
    expect(second.admin).toBeUndefined();
    expect(second.migrations).toEqual([]);
    const provinces = await t.db.selectFrom('provinces').select('code').execute();
    expect(provinces).toHaveLength(25);
    const accounts = await t.db.selectFrom('accounts').select('id').execute();
    expect(accounts).toHaveLength(1);
  });
});
