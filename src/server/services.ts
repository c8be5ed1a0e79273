import type { Database } from './db/index.js';
import { AuthService, DEFAULT_AUTH, type AuthConfig } from './auth/service.js';
import { OrganisationService } from './organisations/service.js';
import { AccountService } from './accounts/service.js';
import { GeographyService } from './geography/service.js';

export interface Services {
  db: Database;
  auth: AuthService;
  organisations: OrganisationService;
  accounts: AccountService;
  geography: GeographyService;
}

export function createServices(db: Database, auth: AuthConfig = DEFAULT_AUTH): Services {
  return {
    db,
    auth: new AuthService(db, auth),
    organisations: new OrganisationService(db),
    accounts: new AccountService(db),
    geography: new GeographyService(db),
  };
}
