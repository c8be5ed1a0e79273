/** First start: migrations, built-in provinces, and one administrator with a one-time password. Optional demo data. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Database } from './db/index.js';
import { migrate } from './db/index.js';
import { GeographyService } from './geography/service.js';
import { hashPassword, oneTimePassword } from './auth/passwords.js';
import { recordAudit } from './audit/service.js';
import type { OrgKind, Role, Sector } from '../core/roles.js';
import { addDays, todayInCambodia } from '../core/dates.js';
import { CampaignService } from './campaigns/service.js';
import { CaseImportService } from './enforcement/import.js';
import { casesToCsv, seedFirstWeek } from './demo/enforcement-seed.js';
import { seedEducation } from './demo/education-seed.js';
import { seedTreatmentDemo } from './demo/treatment-seed.js';
import { loadDisclosureSecret } from './disclosure/secret.js';

const SYSTEM = { accountId: null, organisationId: null, ip: 'bootstrap' };

export interface BootstrapResult {
  migrations: string[];
  /** Present only when the administrator was created by this call: print it once. */
  admin?: { username: string; oneTimePassword: string };
  demo?: { username: string; password: string; role: Role }[];
}

async function createOrg(db: Database, name: string, sector: Sector, kind: OrgKind, provinceCode: string): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('organisations')
      .values({ id, name, sector, kind, province_code: provinceCode, district_code: null, commune_code: null, status: 'active', created_at: now, updated_at: now })
      .execute();
    await recordAudit(trx, SYSTEM, { action: 'organisation.create', entity: 'organisation', entityId: id, details: { after: { name, sector, kind, provinceCode } } });
  });
  return id;
}

async function createAccount(db: Database, orgId: string, username: string, role: Role, password: string, mustChange: boolean) {
  const id = randomUUID();
  const now = new Date();
  const hashed = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('accounts')
      .values({ id, organisation_id: orgId, username, password_hash: hashed, role, locale: 'en', must_change_password: mustChange, disabled: false, created_at: now, updated_at: now })
      .execute();
    await recordAudit(trx, SYSTEM, { action: 'account.create', entity: 'account', entityId: id, details: { after: { username, role, organisationId: orgId } } });
  });
  return id;
}

export async function bootstrap(db: Database, opts: { demo?: boolean; sampleGeographyCsv?: string } = {}): Promise<BootstrapResult> {
  const migrations = await migrate(db);
  await loadDisclosureSecret(db);
  const geo = new GeographyService(db);
  await geo.seedProvinces();
  const result: BootstrapResult = { migrations };
  const any = await db.selectFrom('accounts').select('id').limit(1).executeTakeFirst();
  if (any) return result;

  const adminOrg = await createOrg(db, 'Tonle system administration', 'oversight', 'national_committee', 'KH-12');
  const otp = oneTimePassword();
  await createAccount(db, adminOrg, 'admin', 'administrator', otp, true);
  result.admin = { username: 'admin', oneTimePassword: otp };

  if (opts.demo) {
    if (opts.sampleGeographyCsv) await geo.importCsv(readFileSync(opts.sampleGeographyCsv, 'utf8'), SYSTEM);
    const committee = await createOrg(db, 'National drug-control committee (demo)', 'oversight', 'national_committee', 'KH-12');
    const police = await createOrg(db, 'Phnom Penh anti-drug police unit (demo)', 'enforcement', 'police_unit', 'KH-12');
    const ngo = await createOrg(db, 'Outreach NGO (demo)', 'health', 'ngo', 'KH-12');
    const centre = await createOrg(db, 'Community treatment centre (demo)', 'health', 'community_treatment_centre', 'KH-2');
    const school = await createOrg(db, 'Provincial education office (demo)', 'education', 'education_office', 'KH-17');
    const plan: [string, Role, string][] = [
      ['demo-admin', 'administrator', committee],
      ['demo-clerk', 'enforcement_clerk', police],
      ['demo-supervisor', 'enforcement_supervisor', police],
      ['demo-treatment', 'treatment_staff', centre],
      ['demo-outreach', 'outreach_worker', ngo],
      ['demo-manager', 'programme_manager', ngo],
      ['demo-education', 'education_officer', school],
      ['demo-analyst', 'analyst', committee],
      ['demo-auditor', 'auditor', committee],
    ];
    result.demo = [];
    const ids: Record<string, string> = {};
    for (const [username, role, org] of plan) {
      const password = `${username}-password`;
      ids[username] = await createAccount(db, org, username, role, password, false);
      result.demo.push({ username, password, role });
    }
    // A campaign that started ten days ago, with a first week of cases that adds up to the news report's figures.
    // Backdated: the seed's trusted path past the fixed-date rules for health campaigns (src/core/campaigns.ts).
    const campaigns = new CampaignService(db);
    const start = addDays(todayInCambodia(), -10);
    await campaigns.create({ nameEn: 'National anti-drug campaign (demo)', nameKm: 'យុទ្ធនាការប្រឆាំងគ្រឿងញៀនជាតិ (សាកល្បង)', startDate: start, pillars: ['enforcement', 'treatment', 'harm_reduction', 'education'] }, SYSTEM, { backdated: true });
    const clerk = { accountId: ids['demo-clerk'], organisationId: police, sector: 'enforcement' as const, role: 'enforcement_clerk' as const, mustChangePassword: false };
    const files = casesToCsv(seedFirstWeek(start, 'PP'));
    const importer = new CaseImportService(db);
    const { cases, rows } = await importer.validate(clerk, files.cases, files.seizures);
    await importer.run(clerk, cases, rows, { accountId: clerk.accountId, organisationId: police, ip: 'bootstrap' });
    // Treatment: the news report's 7 state and 3 private centres, a proposed one, and demo-treatment's community centre.
    await seedTreatmentDemo(db, { today: todayInCambodia(), communityOrganisationId: centre, communityAccountId: ids['demo-treatment'] });
    // Education: a few dozen sessions over the last eight weeks, by the demo office and three more (demo/education-seed.ts).
    await seedEducation(db, { organisationId: school, accountId: ids['demo-education'] }, todayInCambodia());
  }
  return result;
}
