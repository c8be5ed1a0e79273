/** The outreach pages in the app's menu (src/web/shell/routes.tsx adds them). */
import type { PageRoute } from '../shell/routes';
import { FindClientPage } from './FindClientPage';
import { NewClientPage } from './NewClientPage';
import { OutreachHome } from './OutreachHome';
import { RecordContactPage } from './RecordContactPage';
import { WaitingPage } from './WaitingPage';
import { ClientPage } from './manager/ClientPage';
import { ClientsPage, DuplicatesPage, HotspotsPage, IndicatorsPage } from './manager/ManagerPages';

const FIELD = ['outreach_worker', 'programme_manager'] as const;
const MANAGER = ['programme_manager'] as const;

export const OUTREACH_ROUTES: PageRoute[] = [
  { path: '/', label: 'outreach.nav.home', roles: ['outreach_worker'], component: OutreachHome, menu: false },
  { path: '/outreach', label: 'outreach.nav.home', roles: FIELD, component: OutreachHome },
  { path: '/outreach/find', label: 'outreach.nav.find', roles: FIELD, component: FindClientPage },
  { path: '/outreach/clients/new', label: 'outreach.nav.newClient', roles: FIELD, component: NewClientPage },
  { path: '/outreach/contact', label: 'outreach.nav.contact', roles: FIELD, component: RecordContactPage },
  { path: '/outreach/waiting', label: 'outreach.nav.waiting', roles: FIELD, component: WaitingPage },
  { path: '/outreach/clients', label: 'outreach.nav.clients', roles: MANAGER, component: ClientsPage },
  { path: '/outreach/clients/:id', label: 'outreach.nav.clients', roles: MANAGER, component: ClientPage, menu: false },
  { path: '/outreach/duplicates', label: 'outreach.nav.duplicates', roles: MANAGER, component: DuplicatesPage },
  { path: '/outreach/indicators', label: 'outreach.nav.indicators', roles: MANAGER, component: IndicatorsPage },
  { path: '/outreach/hotspots', label: 'outreach.nav.hotspots', roles: MANAGER, component: HotspotsPage },
];
