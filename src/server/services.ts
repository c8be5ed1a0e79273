import type { Database } from './db/index.js';
import { AuthService, DEFAULT_AUTH, type AuthConfig } from './auth/service.js';
import { OrganisationService } from './organisations/service.js';
import { AccountService } from './accounts/service.js';
import { GeographyService } from './geography/service.js';
import { CampaignService } from './campaigns/service.js';
import { CaseService } from './enforcement/service.js';
import { CaseImportService } from './enforcement/import.js';
import { EnforcementReportService } from './enforcement/report.js';

export interface Services {
  db: Database;
  auth: AuthService;
  organisations: OrganisationService;
  accounts: AccountService;
  geography: GeographyService;
  campaigns: CampaignService;
  cases: CaseService;
  caseImport: CaseImportService;
  enforcementReport: EnforcementReportService;
}

export function createServices(db: Database, auth: AuthConfig = DEFAULT_AUTH): Services {
  return {
    db,
    auth: new AuthService(db, auth),
    organisations: new OrganisationService(db),
    accounts: new AccountService(db),
    geography: new GeographyService(db),
    campaigns: new CampaignService(db),
    cases: new CaseService(db),
    caseImport: new CaseImportService(db),
    enforcementReport: new EnforcementReportService(db),
  };
}
