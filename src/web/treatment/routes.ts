/** Treatment pages (issue 5). */
import type { PageRoute } from '../shell/routes';
import { AdmitPage } from './AdmitPage';
import { CentresPage } from './CentresPage';
import { MyCentreRoute, NationalRoute } from './lazy';

export const TREATMENT_ROUTES: readonly PageRoute[] = [
  { path: '/treatment', label: 'treatment.nav.myCentre', roles: ['treatment_staff', 'programme_manager'], component: MyCentreRoute },
  { path: '/treatment/admit', label: 'treatment.nav.admit', roles: ['treatment_staff'], component: AdmitPage },
  { path: '/treatment/centres', label: 'treatment.nav.centres', roles: ['administrator'], component: CentresPage },
  { path: '/treatment/national', label: 'treatment.nav.national', roles: 'all', component: NationalRoute },
];
