import type { Database } from './db/index.js';
import { AuthService, DEFAULT_AUTH, type AuthConfig } from './auth/service.js';
import { OrganisationService } from './organisations/service.js';
import { AccountService } from './accounts/service.js';
import { GeographyService } from './geography/service.js';
import { CampaignService } from './campaigns/service.js';
import { CaseService } from './enforcement/service.js';
import { CaseImportService } from './enforcement/import.js';
import { EnforcementReportService } from './enforcement/report.js';
import { DeviceService } from './outreach/devices.js';
import { OutreachService } from './outreach/service.js';
import { OutreachIndicatorStore } from './outreach/indicators.js';
import { loadOutreachConfig, type OutreachConfig } from './outreach/config.js';
import { TreatmentService } from './treatment/service.js';
import { EducationService } from './education/service.js';

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
  devices: DeviceService;
  outreach: OutreachService;
  outreachIndicators: OutreachIndicatorStore;
  treatment: TreatmentService;
  education: EducationService;
}

export function createServices(db: Database, auth: AuthConfig = DEFAULT_AUTH, outreach: OutreachConfig = loadOutreachConfig()): Services {
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
    devices: new DeviceService(db),
    outreach: new OutreachService(db, outreach),
    outreachIndicators: new OutreachIndicatorStore(db),
    treatment: new TreatmentService(db),
    education: new EducationService(db),
  };
}
