/** /cases: the unit's cases (a supervisor: the units below too), newest first; date filter, voided ones on demand. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorMsg, show } from '../../i18n/messages';
import { Link, navigate } from '../../shell/router';
import { useSession } from '../../shell/session';
import { Notice } from '../../ui/Field';
import { useLoad } from '../../ui/useAsync';
import { usePlaceName } from '../../ui/places';
import { casesApi, type CaseListItem } from './api';
import { useFormat } from './format';

const PAGE = 50;

export function CasesPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const placeName = usePlaceName();
  const fmt = useFormat();
  const provinces = useLoad(() => api.provinces());
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [showVoided, setShowVoided] = useState(false);
  const [items, setItems] = useState<CaseListItem[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const supervisor = me.role === 'enforcement_supervisor';

  const load = async (offset: number) => {
    setLoading(true);
    setError(null);
    try {
      const page = await casesApi.list({ from: from || undefined, to: to || undefined, includeVoided: showVoided, limit: PAGE, offset });
      setItems((prev) => (offset === 0 ? page : [...(prev ?? []), ...page]));
      setMore(page.length === PAGE);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [from, to, showVoided]);

  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">{t('cases.list.title')}</h1>
        <button type="button" className="button button--primary button--big" onClick={() => navigate('/cases/new')}>
          {t('cases.list.newCase')}
        </button>
      </div>
      <p className="muted">{t(supervisor ? 'cases.list.introSupervisor' : 'cases.list.intro')}</p>
      <div className="toolbar cases-filter" role="group" aria-label={t('cases.list.filter')}>
        <div className="field">
          <label htmlFor="cases-from">{t('cases.list.from')}</label>
          <input id="cases-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="cases-to">{t('cases.list.to')}</label>
          <input id="cases-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <label className="check">
          <input type="checkbox" checked={showVoided} onChange={(e) => setShowVoided(e.target.checked)} />
          <span>{t('cases.list.showVoided')}</span>
        </label>
        <Link href="/cases/import" className="cases-import-link">
          {t('cases.nav.import')}
        </Link>
      </div>
      {error ? (
        <Notice kind="error">
          {show(t, errorMsg(error))}{' '}
          <button type="button" className="button button--quiet" onClick={() => void load(0)}>
            {t('common.retry')}
          </button>
        </Notice>
      ) : null}
      {items === null ? (
        <p role="status">{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <p>{t('cases.list.empty')}</p>
      ) : (
        <>
          <table className="table table--cards cases-table">
            <caption className="visually-hidden">{t('cases.list.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cases.fields.unitReference')}</th>
                <th scope="col">{t('cases.fields.occurredOn')}</th>
                <th scope="col">{t('cases.fields.caseType')}</th>
                <th scope="col">{t('cases.fields.province')}</th>
                <th scope="col">{t('cases.fields.persons')}</th>
                {supervisor && <th scope="col">{t('cases.fields.unit')}</th>}
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} className={c.voided ? 'row--muted row--voided' : undefined}>
                  <th scope="row" data-label={t('cases.fields.unitReference')}>
                    <Link href={`/cases/${c.id}`}>{c.unitReference}</Link> {c.voided && <span className="badge badge--voided">{t('cases.case.voidedBadge')}</span>}
                  </th>
                  <td data-label={t('cases.fields.occurredOn')}>{c.occurredOn}</td>
                  <td data-label={t('cases.fields.caseType')}>{t(`enforcement.caseTypes.${c.caseType}`)}</td>
                  <td data-label={t('cases.fields.province')}>{placeName(provinces.data?.find((p) => p.code === c.provinceCode), c.provinceCode)}</td>
                  <td data-label={t('cases.fields.persons')}>{fmt.number(c.persons)}</td>
                  {supervisor && <td data-label={t('cases.fields.unit')}>{c.organisationName}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          {more && (
            <button type="button" className="button" disabled={loading} onClick={() => void load(items.length)}>
              {loading ? t('common.working') : t('cases.list.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
