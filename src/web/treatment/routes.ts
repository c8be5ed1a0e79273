/** Treatment pages (issue 5). */
import type { PageRoute } from '../shell/routes';

export const TREATMENT_ROUTES: readonly PageRoute[] = [];
