/** The report page, loaded on demand (the chart library stays out of the first download). */
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';

const Page = lazy(() => import('./ReportPage').then((m) => ({ default: m.ReportPage })));

export function ReportRoute() {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        <p className="rpt-loading" role="status">
          {t('report.loading')}
        </p>
      }
    >
      <Page />
    </Suspense>
  );
}
