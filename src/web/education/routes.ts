/** Education pages (issue 5): the officer's sessions, and the national view that every signed-in role may open. */
import type { PageRoute } from '../shell/routes';
import { NationalRoute } from './lazy';
import { SessionsPage } from './SessionsPage';

export const EDUCATION_ROUTES: readonly PageRoute[] = [
  { path: '/education/sessions', label: 'education.nav.sessions', roles: ['education_officer'], component: SessionsPage },
  { path: '/education', label: 'education.nav.national', roles: 'all', component: NationalRoute },
];
