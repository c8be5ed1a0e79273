/** Auditor: the audit trail, newest first, with "older" paging, and the hash-chain verification. */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatLocale } from '../i18n';
import { api } from '../api/client';
import type { AuditItem, AuditVerify } from '../api/types';
import { errorText } from '../i18n/messages';
import { Notice } from '../ui/Field';
import { useLoad } from '../ui/useAsync';

const PAGE = 100;

function detailsText(d: unknown): string {
  if (d === null || d === undefined) return '';
  if (typeof d !== 'object') return String(d);
  const entries = Object.entries(d as Record<string, unknown>);
  if (!entries.length) return '';
  return entries.map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ');
}

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const first = useLoad(() => api.audit(undefined, PAGE));
  const [older, setOlder] = useState<AuditItem[]>([]);
  const [hasMore, setHasMore] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [verifying, setVerifying] = useState(false);
  const [verifyError, setVerifyError] = useState<unknown>(null);

  const items = useMemo(() => [...(first.data ?? []), ...older], [first.data, older]);
  const more = hasMore && (first.data?.length ?? 0) === PAGE;

  const fmt = useMemo(
    () => new Intl.DateTimeFormat(formatLocale(i18n.language), { dateStyle: 'short', timeStyle: 'medium' }),
    [i18n.language],
  );

  const loadOlder = async () => {
    const last = items[items.length - 1];
    if (!last) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api.audit(last.seq, PAGE);
      setOlder((o) => [...o, ...page]);
      if (page.length < PAGE) setHasMore(false);
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  const runVerify = async () => {
    setVerifying(true);
    setVerify(null);
    setVerifyError(null);
    try {
      setVerify(await api.verifyAudit());
    } catch (e) {
      setVerifyError(e);
    } finally {
      setVerifying(false);
    }
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t('audit.title')}</h1>
      <p className="muted">{t('audit.intro')}</p>

      <div className="toolbar">
        <button type="button" className="button button--primary" onClick={() => void runVerify()} disabled={verifying}>
          {verifying ? t('audit.verifying') : t('audit.verify')}
        </button>
      </div>
      {verifyError ? <Notice kind="error">{errorText(t, verifyError)}</Notice> : null}
      {verify && (
        <div className={`chain chain--${verify.ok ? 'ok' : 'broken'}`} role="status" data-testid="audit-verify-result">
          <span className="chain-icon" aria-hidden="true">
            {verify.ok ? '✓' : '✗'}
          </span>
          <span>
            {verify.ok || !verify.firstBroken
              ? t('audit.intact', { count: verify.checked })
              : t('audit.broken', { seq: verify.firstBroken.seq, reason: verify.firstBroken.reason, count: verify.checked })}
          </span>
        </div>
      )}

      {first.error ? <Notice kind="error">{errorText(t, first.error)}</Notice> : null}
      {first.loading && !first.data ? (
        <p role="status">{t('app.loading')}</p>
      ) : first.data ? (
        <>
          <p className="muted">{t('audit.shown', { count: items.length })}</p>
          <table className="table table--cards table--audit">
            <caption className="visually-hidden">{t('audit.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.seq')}</th>
                <th scope="col">{t('audit.at')}</th>
                <th scope="col">{t('audit.user')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.entity')}</th>
                <th scope="col">{t('audit.ip')}</th>
                <th scope="col">{t('audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((it) => (
                <tr key={it.seq}>
                  <th scope="row" data-label={t('audit.seq')}>
                    {it.seq}
                  </th>
                  <td data-label={t('audit.at')}>
                    <time dateTime={it.at}>{fmt.format(new Date(it.at))}</time>
                  </td>
                  <td data-label={t('audit.user')}>{it.username ?? <span className="muted">{t('audit.system')}</span>}</td>
                  <td data-label={t('audit.action')}>
                    <code>{it.action}</code>
                  </td>
                  <td data-label={t('audit.entity')}>
                    {it.entity}
                    {it.entityId && <span className="muted mono small"> {it.entityId}</span>}
                  </td>
                  <td data-label={t('audit.ip')}>{it.ip}</td>
                  <td data-label={t('audit.details')} className="details">
                    {detailsText(it.details)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {moreError ? <Notice kind="error">{errorText(t, moreError)}</Notice> : null}
          {more ? (
            <div className="toolbar">
              <button type="button" className="button" onClick={() => void loadOlder()} disabled={loadingMore}>
                {loadingMore ? t('app.loading') : t('audit.older')}
              </button>
            </div>
          ) : (
            <p className="muted">{t('audit.noMore')}</p>
          )}
        </>
      ) : null}
    </section>
  );
}
