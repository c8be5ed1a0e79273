/** The national education view, loaded on demand (the chart library stays out of the first download). */
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';

const Page = lazy(() => import('./NationalPage').then((m) => ({ default: m.NationalPage })));

export function NationalRoute() {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        <p className="rpt-loading" role="status">
          {t('education.national.loading')}
        </p>
      }
    >
      <Page />
    </Suspense>
  );
}
