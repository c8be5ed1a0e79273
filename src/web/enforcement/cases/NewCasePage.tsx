/** /cases/new: the phone-first case form, prefilled with today's date and the unit's usual place. */
import { useTranslation } from 'react-i18next';
import { todayInCambodia } from '../../../core/dates';
import { navigate, Link } from '../../shell/router';
import { useLoad } from '../../ui/useAsync';
import { casesApi } from './api';
import { CaseForm } from './CaseForm';
import { flashSaved } from './flash';
import { newDraft } from './form';

export function NewCasePage() {
  const { t } = useTranslation();
  const defaults = useLoad(() => casesApi.defaults().catch(() => null));
  return (
    <section className="page page--case" aria-labelledby="page-title">
      <p className="breadcrumb">
        <Link href="/cases">{t('cases.nav.list')}</Link>
      </p>
      <h1 id="page-title">{t('cases.form.newTitle')}</h1>
      {defaults.loading ? (
        <p role="status">{t('app.loading')}</p>
      ) : (
        <CaseForm
          mode="new"
          initial={newDraft(todayInCambodia(), defaults.data)}
          onSubmit={async (body) => {
            const c = await casesApi.create(body);
            flashSaved(c.id);
            navigate(`/cases/${c.id}`);
          }}
        />
      )}
    </section>
  );
}
