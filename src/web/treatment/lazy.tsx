/** The treatment pages with charts, loaded on demand (the chart library stays out of the first download). */
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { useTranslation } from 'react-i18next';

function withFallback(Page: LazyExoticComponent<ComponentType>) {
  return function LazyPage() {
    const { t } = useTranslation();
    return (
      <Suspense
        fallback={
          <p className="rpt-loading" role="status">
            {t('app.loading')}
          </p>
        }
      >
        <Page />
      </Suspense>
    );
  };
}

export const MyCentreRoute = withFallback(lazy(() => import('./MyCentrePage').then((m) => ({ default: m.MyCentrePage }))));
export const NationalRoute = withFallback(lazy(() => import('./NationalPage').then((m) => ({ default: m.NationalPage }))));
