/** Education pages (issue 5). */
import type { PageRoute } from '../shell/routes';

export const EDUCATION_ROUTES: readonly PageRoute[] = [];
