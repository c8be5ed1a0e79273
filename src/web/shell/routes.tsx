/** The pages and who may see them. The server enforces access; this only decides what the menu offers. */
import type { ComponentType } from 'react';
import type { Role } from '../../core/roles';
import { Home } from './Home';
import { ChangePassword } from '../auth/ChangePassword';
import { OrganisationsPage } from '../admin/organisations/OrganisationsPage';
import { AccountsPage } from '../admin/accounts/AccountsPage';
import { GeographyPage } from '../admin/geography/GeographyPage';
import { AuditPage } from '../audit/AuditPage';
import { CampaignsPage } from '../campaigns/CampaignsPage';
import { ReportRoute } from '../enforcement/report';
import { CasesPage } from '../enforcement/cases/CasesPage';
import { NewCasePage } from '../enforcement/cases/NewCasePage';
import { CasePage } from '../enforcement/cases/CasePage';
import { ImportCasesPage } from '../enforcement/cases/ImportCasesPage';
import { OUTREACH_ROUTES } from '../outreach/routes';
import { TREATMENT_ROUTES } from '../treatment/routes';
import { EDUCATION_ROUTES } from '../education/routes';

export interface PageRoute {
  path: string;
  /** Catalogue key of the menu entry and page title. */
  label: string;
  roles: readonly Role[] | 'all';
  component: ComponentType;
  /** false: reachable by link only (e.g. one case's page), not listed in the menu. */
  menu?: false;
}

export const ROUTES: readonly PageRoute[] = [
  // Outreach workers start on their day (the same page as /outreach).
  ...OUTREACH_ROUTES.filter((r) => r.path === '/'),
  { path: '/', label: 'nav.home', roles: 'all', component: Home },
  { path: '/organisations', label: 'nav.organisations', roles: ['administrator'], component: OrganisationsPage },
  { path: '/accounts', label: 'nav.accounts', roles: ['administrator'], component: AccountsPage },
  { path: '/geography', label: 'nav.geography', roles: ['administrator'], component: GeographyPage },
  { path: '/audit', label: 'nav.audit', roles: ['auditor'], component: AuditPage },
  { path: '/cases', label: 'cases.nav.list', roles: ['enforcement_clerk', 'enforcement_supervisor'], component: CasesPage },
  { path: '/cases/new', label: 'cases.nav.new', roles: ['enforcement_clerk', 'enforcement_supervisor'], component: NewCasePage },
  { path: '/cases/import', label: 'cases.nav.import', roles: ['enforcement_clerk', 'enforcement_supervisor'], component: ImportCasesPage },
  { path: '/cases/:id', label: 'cases.nav.case', roles: ['enforcement_clerk', 'enforcement_supervisor'], component: CasePage, menu: false },
  { path: '/report', label: 'report.nav', roles: ['analyst', 'enforcement_clerk', 'enforcement_supervisor'], component: ReportRoute },
  { path: '/campaigns', label: 'campaigns.nav', roles: ['administrator', 'analyst'], component: CampaignsPage },
  ...OUTREACH_ROUTES.filter((r) => r.path !== '/'),
  ...TREATMENT_ROUTES,
  ...EDUCATION_ROUTES,
  { path: '/password', label: 'nav.changePassword', roles: 'all', component: ChangePassword },
];

export function routesFor(role: Role): PageRoute[] {
  return ROUTES.filter((r) => r.roles === 'all' || r.roles.includes(role));
}
